package io.microagent.collect.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * os-release(5): {@code KEY=value} lines, values optionally in single or double quotes (double quotes allow
 * backslash escapes of {@code " \ $ `}). Comments, blank lines and lines that are not assignments are skipped.
 */
public final class OsRelease {
    private OsRelease() {
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0 || !line.substring(0, eq).matches("[A-Za-z0-9_]+")) {
                continue;
            }
            String value = unquote(line.substring(eq + 1));
            if (value != null) {
                values.put(line.substring(0, eq), value);
            }
        }
        return values;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '\'' && v.endsWith("'")) {
            return v.substring(1, v.length() - 1);
        }
        if (v.length() >= 2 && v.charAt(0) == '"' && v.endsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length() - 1 && "\"\\$`".indexOf(v.charAt(i + 1)) >= 0) {
                    c = v.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        if (v.startsWith("\"") || v.startsWith("'")) {
            return null; // an opening quote without its closing one
        }
        return v;
    }
}
