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
        int uid = -1;
        int ppid = -1;
        for (String line : status.split("\n")) {
            try {
                if (line.startsWith("Uid:")) {
                    uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                } else if (line.startsWith("PPid:")) {
                    ppid = Integer.parseInt(line.substring(5).trim());
                }
            } catch (NumberFormatException e) {
                // Left at -1: reported as unknown.
            }
        }
        return new int[] {uid, ppid};
    }

    /**
     * Field 22 of {@code /proc/PID/stat}, the start time in clock ticks since boot; -1 when garbled. The command
     * name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'.
     */
    public static long startTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] rest = stat.substring(close + 1).trim().split(" ");
        try {
            return rest.length > 19 ? Long.parseLong(rest[19]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
