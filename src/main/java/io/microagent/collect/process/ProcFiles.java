package io.microagent.collect.process;

import java.nio.charset.StandardCharsets;

/** Pure parsers for the /proc files the process collector reads. */
public final class ProcFiles {
    private ProcFiles() {
    }

    /** {@code /proc/PID/cmdline}: arguments separated by NUL, joined with single spaces. */
    public static String commandLine(byte[] cmdline) {
        int end = cmdline.length;
        while (end > 0 && cmdline[end - 1] == 0) {
            end--;
        }
        byte[] copy = new byte[end];
        for (int i = 0; i < end; i++) {
            copy[i] = cmdline[i] == 0 ? (byte) ' ' : cmdline[i];
        }
        return new String(copy, StandardCharsets.UTF_8);
    }

    /** The real uid and the parent pid from {@code /proc/PID/status}; -1 where a line is missing or garbled. */
    public static int[] uidAndParent(String status) {
        return new int[] {firstNumberOf(status, "Uid:"), firstNumberOf(status, "PPid:")};
    }

    /** The first number on the line that starts with {@code key}: digits up to a blank or the line's end; else -1. */
    private static int firstNumberOf(String text, String key) {
        int line = text.startsWith(key) ? 0 : text.indexOf("\n" + key) + 1;
        if (line <= 0 && !text.startsWith(key)) {
            return -1;
        }
        int i = line + key.length();
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++, digits++) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > Integer.MAX_VALUE) {
                return -1;
            }
        }
        boolean ends = i == text.length() || Character.isWhitespace(text.charAt(i));
        return digits > 0 && ends ? (int) value : -1;
    }

    /**
     * Field {@code field} (from 3 on, numbered as in proc(5)) of {@code /proc/PID/stat} as a number; -1 when
     * missing or garbled. The command name (field 2) may hold spaces and parentheses, so fields are counted after
     * its last ')'.
     */
    public static long statField(String stat, int field) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || field < 3) {
            return -1;
        }
        String[] rest = stat.substring(close + 1).trim().split(" ");
        try {
            return rest.length > field - 3 ? Long.parseLong(rest[field - 3]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
