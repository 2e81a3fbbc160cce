package io.microagent.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Compact JSON in UTF-8, byte for byte as Jackson's UTF-8 generator writes it with its defaults ({@code JsonTest}
 * holds the two together): names and strings escaped as it escapes them (the two-character escapes, {@code \}{@code
 * u00XX} for other control characters, each half of a surrogate pair as {@code \}{@code uXXXX}), numbers as
 * {@code toString} gives them, non-finite ones quoted. Not Jackson's generator: making one initializes its
 * {@code JsonFactory}, whose verification loads every parser and generator the factory can make (about 400 KB of
 * classes the agent never uses, in a device's resident memory).
 */
final class JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** The text so far (not a ByteArrayOutputStream: its writes are synchronized, one lock per byte). */
    private byte[] out = new byte[256];
    private int size;
    /** Per open object or array: whether it has a member yet. */
    private boolean[] started = new boolean[16];
    private int depth;
    private boolean afterName;

    byte[] bytes() {
        return Arrays.copyOf(out, size);
    }

    void writeStartObject() {
        open('{');
    }

    void writeEndObject() {
        close('}');
    }

    void writeStartArray() {
        open('[');
    }

    void writeEndArray() {
        close(']');
    }

    void writeFieldName(String name) {
        separate();
        quoted(name);
        put(':');
        afterName = true;
    }

    void writeString(String text) {
        separate();
        quoted(text);
    }

    void writeNumber(long value) {
        ascii(Long.toString(value));
    }

    void writeNumber(double value) {
        if (Double.isFinite(value)) {
            ascii(Double.toString(value));
        } else {
            writeString(Double.toString(value));
        }
    }

    void writeNumber(float value) {
        if (Float.isFinite(value)) {
            ascii(Float.toString(value));
        } else {
            writeString(Float.toString(value));
        }
    }

    void writeNumber(BigInteger value) {
        ascii(value.toString());
    }

    void writeNumber(BigDecimal value) {
        ascii(value.toString());
    }

    void writeBoolean(boolean value) {
        ascii(value ? "true" : "false");
    }

    void writeNull() {
        ascii("null");
    }

    /** JSON text written as it is. */
    void writeRawValue(String json) {
        separate();
        for (byte b : json.getBytes(StandardCharsets.UTF_8)) {
            put(b);
        }
    }

    private void open(char bracket) {
        separate();
        put(bracket);
        if (depth == started.length) {
            started = Arrays.copyOf(started, depth * 2);
        }
        started[depth++] = false;
    }

    private void close(char bracket) {
        depth--;
        put(bracket);
    }

    private void ascii(String text) {
        separate();
        for (int i = 0; i < text.length(); i++) {
            put(text.charAt(i));
        }
    }

    /** A comma before every member but an object's or array's first; nothing between a name and its value. */
    private void separate() {
        if (afterName) {
            afterName = false;
        } else if (depth > 0) {
            if (started[depth - 1]) {
                put(',');
            }
            started[depth - 1] = true;
        }
    }

    private void quoted(String text) {
        put('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '"' -> escape('"');
                    case '\\' -> escape('\\');
                    case '\b' -> escape('b');
                    case '\t' -> escape('t');
                    case '\n' -> escape('n');
                    case '\f' -> escape('f');
                    case '\r' -> escape('r');
                    default -> {
                        if (c < 0x20) {
                            unicode(c);
                        } else {
                            put(c);
                        }
                    }
                }
            } else if (c < 0x800) {
                put(0xC0 | (c >> 6));
                put(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                unicode(c);
            } else {
                put(0xE0 | (c >> 12));
                put(0x80 | ((c >> 6) & 0x3F));
                put(0x80 | (c & 0x3F));
            }
        }
        put('"');
    }

    private void put(int b) {
        if (size == out.length) {
            out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = (byte) b;
    }

    private void escape(char c) {
        put('\\');
        put(c);
    }

    private void unicode(char c) {
        put('\\');
        put('u');
        put(HEX[c >> 12]);
        put(HEX[(c >> 8) & 0xF]);
        put(HEX[(c >> 4) & 0xF]);
        put(HEX[c & 0xF]);
    }
}
