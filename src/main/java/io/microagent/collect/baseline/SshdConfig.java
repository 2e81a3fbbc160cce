package io.microagent.collect.baseline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * sshd_config's effective global values as sshd takes them: keywords case-insensitive, the first value given
 * wins, {@code Include} read in place (its glob's files in lexical order, relative paths under /etc/ssh), and
 * {@code Match} blocks set aside (they apply to some connections only).
 */
public final class SshdConfig {
    private static final int MAX_DEPTH = 16;

    private SshdConfig() {
    }

    /**
     * @param files a file's text by absolute path, and the files a glob names ({@link HostFacts} supplies both);
     *              a file that cannot be read throws {@link Undecidable}
     */
    public static Map<String, String> effective(String main, Function<String, String> read,
            Function<String, java.util.List<String>> glob) {
        Map<String, String> values = new LinkedHashMap<>();
        parse(read.apply(main), read, glob, values, 0);
        return values;
    }

    private static boolean parse(String text, Function<String, String> read,
            Function<String, java.util.List<String>> glob, Map<String, String> values, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Undecidable("sshd_config Include nests deeper than " + MAX_DEPTH);
        }
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("[\\s=]+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? kv[1].strip() : "";
            if (key.equals("match")) {
                return true; // everything after a Match line belongs to Match blocks
            }
            if (key.equals("include")) {
                for (String pattern : value.split("\\s+")) {
                    String absolute = pattern.startsWith("/") ? pattern : "/etc/ssh/" + pattern;
                    for (String file : glob.apply(absolute)) {
                        if (parse(read.apply(file), read, glob, values, depth + 1)) {
                            return true; // a Match inside an included file ends the global part too
                        }
                    }
                }
                continue;
            }
            values.putIfAbsent(key, value);
        }
        return false;
    }
}
