package io.microagent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent writes and reads JSON on Jackson's streaming API; these tests hold it to what Jackson's object mapper,
 * configured as the agent used it, writes and reads, for every record the agent writes.
 */
class JsonTest {
    static final ObjectMapper MAPPER = JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    @Test
    void everyRecordTheAgentWritesIsWrittenAsTheObjectMapperWritesIt() throws Exception {
        List<Class<?>> records = writtenRecords();
        records.add(io.microagent.collect.login.Positions.Position.class); // names from its components
        records.removeIf(r -> r.getSimpleName().equals("Envelope")); // raw events: rawJsonIsWrittenAsItIs
        assertTrue(records.size() >= 15, "records found in the agent's classes: " + records);
        for (Class<?> type : records) {
            for (boolean withNulls : new boolean[] {false, true}) {
                Object value = instance(type, withNulls, 0);
                assertEquals(mapper(value), new String(Json.write(value), StandardCharsets.UTF_8),
                        type.getName() + (withNulls ? " with its boxed values null" : ""));
            }
        }
    }

    @Test
    void mapsListsTreesAndTextNeedingEscapesAsTheObjectMapperWritesThem() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 non-ASCII é 漢 \uD83D\uDE00");
        map.put("absent", null);
        map.put("numbers", List.of(0, -1, Long.MAX_VALUE, 1.5, 1e300, 0.1f));
        map.put("tree", Json.read("{\"a\":[1,2.5,\"x\",null,true,{\"b\":12345678901234567890}]}"
                .getBytes(StandardCharsets.UTF_8)));
        map.put("empty", Map.of());
        map.put("every control character and the edges of UTF-8", java.util.stream.IntStream.range(0, 0x20)
                .mapToObj(c -> String.valueOf((char) c)).collect(java.util.stream.Collectors.joining())
                + " / \u007f\u0080\u07ff\u0800\u2028\uffff lone \uD83D halves \uDE00");
        map.put("not finite", List.of(Double.NaN, Double.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0.0, 1e-5,
                1e7, new java.math.BigDecimal("1E+3"), new java.math.BigInteger("123456789012345678901234567890")));
        map.put("nested\tname", List.of(List.of(), List.of(Map.of()), List.of(List.of(1, List.of(2)))));
        assertEquals(mapper(map), new String(Json.write(map), StandardCharsets.UTF_8));
        // A tree as read: a null member is left out, as in every map the agent writes; a null item stays.
        Object tree = Json.read("{\"k\":[1,{\"x\":\"y\"},null],\"n\":null}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"k\":[1,{\"x\":\"y\"},null]}", Json.text(tree));
    }

    @Test
    void rawJsonIsWrittenAsItIs() throws Exception {
        record Holder(@JsonProperty("Events") List<Object> events) {
        }
        String event = "{\"EventType\":\"Security\",\"Payload\":[{\"A\":1}]}";
        Holder ours = new Holder(List.of(new RawJson(event), new RawJson(event)));
        Holder theirs = new Holder(List.of(new RawValue(event), new RawValue(event)));
        assertEquals(mapper(theirs), new String(Json.write(ours), StandardCharsets.UTF_8));
    }

    @Test
    void readsValuesAsTheObjectMapperReadsThemIntoObject() throws Exception {
        List<String> documents = new ArrayList<>(List.of("{\"a\":1,\"a\":2}", "[]", "{}", "\"text\"", "12", "null",
                "{\"big\":123456789012345678901234567890,\"long\":9007199254740993,\"neg\":-5,\"f\":-0.5e-3}",
                "{\"nested\":{\"list\":[[],[{}],\"é\"]},\"t\":true,\"f\":false} trailing"));
        try (Stream<Path> content = Files.list(Path.of("src/main/resources/baseline"))) {
            for (Path p : content.toList()) {
                documents.add(Files.readString(p));
            }
        }
        for (String d : documents) {
            // Maps in document order, lists, Integer, Long, BigInteger, Double, Boolean, null: the mapper's model.
            Object expected = MAPPER.readValue(MAPPER.createParser(d), Object.class);
            Object read = Json.read(d.getBytes(StandardCharsets.UTF_8));
            assertEquals(expected, read, d.length() > 200 ? d.substring(0, 200) : d);
            assertEquals(String.valueOf(expected == null ? null : expected.getClass()),
                    String.valueOf(read == null ? null : read.getClass()));
        }
        assertEquals(List.of(Integer.class, Long.class, java.math.BigInteger.class, Double.class, Boolean.class),
                ((List<?>) Json.read("[1,9007199254740993,123456789012345678901234567890,1.5,true]"
                        .getBytes(StandardCharsets.UTF_8))).stream().map(Object::getClass).toList());
        assertNull(Json.read(new byte[0]));
        byte[] withMark = "\uFEFF{\"a\":[1]}".getBytes(StandardCharsets.UTF_8); // a file saved by a Windows editor
        assertEquals(Map.of("a", List.of(1)), Json.read(withMark));
    }

    @Test
    void aStringOverTheLimitIsAnIoException() {
        String big = "\"" + "x".repeat((1 << 20) + 1) + "\"";
        assertThrows(IOException.class, () -> Json.read(big.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedOrTooDeepInputIsAnIoException() {
        assertThrows(IOException.class, () -> Json.read("{\"a\":".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> Json.read("{\"a\" 1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> Json.read("[".repeat(65).getBytes(StandardCharsets.UTF_8)));
    }

    /** As the agent wrote with the mapper: UTF-8 bytes (a character outside the BMP escaped as two). */
    static String mapper(Object value) throws IOException {
        return new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
    }

    /** The records in the agent's classes that Jackson's annotations name fields of. */
    static List<Class<?>> writtenRecords() throws Exception {
        Path classes = Path.of(Json.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, JsonTest.class.getClassLoader());
                if (c.isRecord() && Stream.of(c.getRecordComponents())
                        .anyMatch(rc -> rc.getAccessor().isAnnotationPresent(JsonProperty.class))) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    /** A value for every component, distinct per component; boxed ones null when {@code withNulls}. */
    static Object instance(Class<?> type, boolean withNulls, int depth) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(components[i].getGenericType(), components[i].getName(), i, withNulls, depth);
        }
        Constructor<?> canonical = type.getDeclaredConstructor(types);
        canonical.setAccessible(true);
        return canonical.newInstance(values);
    }

    private static Object value(Type generic, String name, int i, boolean withNulls, int depth) throws Exception {
        Class<?> raw = generic instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) generic;
        if (raw == int.class) {
            return 100 + i;
        } else if (raw == long.class) {
            return 10_000_000_000L + i;
        } else if (raw == boolean.class) {
            return i % 2 == 0;
        } else if (raw == double.class) {
            return 0.25 + i;
        } else if (withNulls) {
            return raw == Instant.class ? Instant.ofEpochSecond(1_700_000_000L) : null;
        } else if (raw == String.class) {
            return name + " \"value\" é " + i;
        } else if (raw == Integer.class) {
            return -i;
        } else if (raw == Long.class) {
            return 1L << (32 + i % 20);
        } else if (raw == Boolean.class) {
            return Boolean.TRUE;
        } else if (raw == Double.class) {
            return 1.5 * i;
        } else if (raw == Instant.class) {
            return Instant.ofEpochSecond(1_700_000_000L, 123_000_000L);
        } else if (raw == Map.class) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("k1", "v1");
            m.put("k2", "v2");
            return m;
        } else if (raw == List.class) {
            Type item = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : String.class;
            if (item instanceof Class<?> c && c.isRecord() && depth < 2) {
                return List.of(instance(c, false, depth + 1), instance(c, true, depth + 1));
            }
            if (item == Integer.class) {
                return List.of(1, 2, 3);
            }
            return List.of("a", name);
        } else if (raw.isRecord() && depth < 2) {
            return instance(raw, false, depth + 1);
        } else if (raw.isEnum()) {
            return raw.getEnumConstants()[0];
        }
        throw new IllegalArgumentException("no sample value for " + generic + " of " + name);
    }
}
