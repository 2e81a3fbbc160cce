package io.microagent.linux;

import java.nio.charset.StandardCharsets;

/** What {@code uname(2)} states: the running kernel's name, host name, release and machine. */
public record Uname(String sysname, String nodename, String release, String version, String machine) {
    private static final int FIELD = 65;

    /** The running kernel's; null when the call fails. */
    public static Uname read() {
        byte[] buffer = new byte[FIELD * 6];
        if (LibC.uname(buffer) < 0) {
            return null;
        }
        return new Uname(field(buffer, 0), field(buffer, 1), field(buffer, 2), field(buffer, 3), field(buffer, 4));
    }

    private static String field(byte[] b, int index) {
        int start = index * FIELD;
        int end = start;
        while (end < start + FIELD && b[end] != 0) {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
}
