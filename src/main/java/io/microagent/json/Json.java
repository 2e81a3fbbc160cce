package io.microagent.json;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The agent's one JSON reader and writer: Jackson's streaming UTF-8 parser into {@link Tree}'s model, and
 * {@link JsonWriter} (see {@link ValueWriter} for why not Jackson's object mapper, {@link JsonWriter} for why not its
 * generator). Absent values are left out, never written as {@code null}. The parser is made here as
 * {@code JsonFactory} makes it, without loading the factory: verifying it loads every parser and generator it can
 * make.
 */
public final class Json {
    // Configuration files are small: refuse absurd nesting or sizes rather than spend the host's memory.
    private static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder().maxNestingDepth(64)
            .maxStringLength(1 << 20).build();
    private static final int PARSER_FEATURES = JsonParser.Feature.collectDefaults();
    /** The factory's defaults, but names are not interned in the JVM's string table (kept for the JVM's life). */
    private static final int NAME_FEATURES = JsonFactory.Feature.collectDefaults()
            & ~JsonFactory.Feature.INTERN_FIELD_NAMES.getMask();
    private static final ByteQuadsCanonicalizer NAMES = ByteQuadsCanonicalizer.createRoot();

    private Json() {
    }

    public static byte[] write(Object value) {
        JsonWriter w = new JsonWriter();
        ValueWriter.write(w, value);
        return w.bytes();
    }

    /** A value as compact JSON text. */
    public static String text(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    /** UTF-8 JSON, a byte order mark before it allowed, in {@link Tree}'s model (empty input: null). */
    public static Object read(byte[] json) throws IOException {
        int start = json.length >= 3 && json[0] == (byte) 0xEF && json[1] == (byte) 0xBB && json[2] == (byte) 0xBF
                ? 3 : 0;
        try (JsonParser p = new UTF8StreamJsonParser(context(), PARSER_FEATURES, null, null,
                NAMES.makeChild(NAME_FEATURES), json, start, json.length, false)) {
            return TreeReader.read(p);
        }
    }

    /** As the factory's: its limits, a pooled buffer recycler, no source text in error locations. */
    private static IOContext context() {
        return new IOContext(READ_LIMITS, StreamWriteConstraints.defaults(), ErrorReportConfiguration.defaults(),
                JsonRecyclerPools.defaultPool().acquirePooled(), ContentReference.redacted(), false)
                .withEncoding(JsonEncoding.UTF8);
    }
}
