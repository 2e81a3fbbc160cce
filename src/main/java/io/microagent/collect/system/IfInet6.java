package io.microagent.collect.system;

import io.microagent.linux.AddressText;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code /proc/net/if_inet6}: per line the address (32 hex digits), the interface index, prefix length, scope
 * and flags (hex), and the interface name. Lines of another shape are skipped.
 */
public final class IfInet6 {
    private IfInet6() {
    }

    /** Per address: its text, the interface index (hex, as written), and the interface name. */
    public static List<String[]> parse(String text) {
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 6 || f[0].length() != 32) {
                continue;
            }
            try {
                byte[] address = HexFormat.of().parseHex(f[0]);
                Integer.parseInt(f[1], 16);
                rows.add(new String[] {AddressText.of(address), f[1], f[5]});
            } catch (IllegalArgumentException e) {
                // garbled line
            }
        }
        return rows;
    }
}
