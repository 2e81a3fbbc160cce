package io.microagent.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The agent's one JSON reader and writer, on Jackson's streaming parser and generator (see {@link ValueWriter} for
 * why not its object mapper). Absent values are left out, never written as {@code null}.
 */
public final class Json {
    // Configuration files are small: refuse absurd nesting or sizes rather than spend the host's memory.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20)
                    .build())
            .build();

    private Json() {
    }

    public static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            ValueWriter.write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A tree as compact JSON text (what {@code JsonNode.toString} gives, without loading the object mapper). */
    public static String text(JsonNode node) {
        return new String(write(node), StandardCharsets.UTF_8);
    }

    public static JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return TreeReader.read(p);
        }
    }
}
