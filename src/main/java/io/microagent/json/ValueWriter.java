package io.microagent.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes the agent's values as JSON: records by their components (named by
 * {@code @JsonProperty}, ordered by {@code @JsonPropertyOrder}, {@code @JsonIgnore} left out) and by methods marked
 * {@code @JsonProperty}; maps, collections (JSON as {@link Json#read} gives it among them), strings, numbers,
 * booleans and raw JSON. Nulls are left out of
 * records and maps. Jackson's object mapper would write the same, but loading and introspecting with it costs a
 * device about 4 MB of resident memory (its 400 classes and their caches) for the few shapes the agent writes.
 */
final class ValueWriter {
    private record Property(String name, Method accessor) {
    }

    private static final ClassValue<List<Property>> PROPERTIES = new ClassValue<>() {
        @Override
        protected List<Property> computeValue(Class<?> type) {
            return properties(type);
        }
    };

    private ValueWriter() {
    }

    static void write(JsonWriter g, Object value) {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof RawJson raw) {
            g.writeRawValue(raw.json());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != null) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof Object[] items) {
            write(g, Arrays.asList(items));
        } else if (value.getClass().isRecord()) {
            record(g, value);
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (value instanceof CharSequence || value instanceof Character) {
            g.writeString(value.toString());
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void record(JsonWriter g, Object value) {
        g.writeStartObject();
        for (Property p : PROPERTIES.get(value.getClass())) {
            Object v;
            try {
                v = p.accessor().invoke(value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
            if (v != null) {
                g.writeFieldName(p.name());
                write(g, v);
            }
        }
        g.writeEndObject();
    }

    /**
     * Record components not ignored, then methods marked {@code @JsonProperty}; those named in
     * {@code @JsonPropertyOrder} first, in its order, the rest as declared.
     */
    private static List<Property> properties(Class<?> type) {
        List<Property> found = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Method accessor = c.getAccessor();
            if (accessor.isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            JsonProperty named = accessor.getAnnotation(JsonProperty.class);
            found.add(new Property(named == null || named.value().isEmpty() ? c.getName() : named.value(),
                    accessible(accessor)));
        }
        for (Method m : type.getDeclaredMethods()) {
            JsonProperty named = m.getAnnotation(JsonProperty.class);
            if (named != null && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                    && found.stream().noneMatch(p -> p.accessor().getName().equals(m.getName()))) {
                found.add(new Property(named.value().isEmpty() ? m.getName() : named.value(), accessible(m)));
            }
        }
        JsonPropertyOrder order = type.getAnnotation(JsonPropertyOrder.class);
        if (order != null) {
            List<String> first = List.of(order.value());
            found.sort(Comparator.comparingInt(p -> first.contains(p.name()) ? first.indexOf(p.name()) : first.size()));
        }
        return List.copyOf(found);
    }

    private static Method accessible(Method m) {
        m.setAccessible(true); // the agent's own records, some package-private
        return m;
    }
}
