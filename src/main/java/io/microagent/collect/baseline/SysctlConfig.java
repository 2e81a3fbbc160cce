package io.microagent.collect.baseline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel parameters the boot sets, as {@code sysctl --system} applies them: every {@code *.conf} of
 * /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d by file name (a name
 * in an earlier directory hides the same name in later ones), in lexical order, then /etc/sysctl.conf; a later
 * assignment wins. Keys are written with dots ({@code net/ipv4/ip_forward} is {@code net.ipv4.ip_forward}).
 */
public final class SysctlConfig {
    public static final List<String> DIRECTORIES = List.of("/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
            "/usr/lib/sysctl.d", "/lib/sysctl.d");

    private SysctlConfig() {
    }

    /** @param files file texts in the order they are applied */
    public static Map<String, String> effective(List<String> files) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String text : files) {
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("-")) {
                    line = line.substring(1).strip(); // "-key = value": ignore errors when setting it
                }
                int eq = line.indexOf('=');
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || eq <= 0) {
                    continue;
                }
                String key = line.substring(0, eq).strip();
                if (key.chars().anyMatch(Character::isWhitespace)) {
                    continue; // found by fuzzing: not a key sysctl accepts, so not a value in force
                }
                values.put(key(key), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    public static String key(String key) {
        return key.replace('/', '.');
    }
}
