package io.microagent.attach;

import io.microagent.show.MessageView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code /proc} says of a process, read before anything is sent to it. The JDK's attach mechanism starts
 * by signalling SIGQUIT, which ends a process that does not handle it (a daemon, a python script, a JVM started
 * with -Xrs) and makes a JVM with attach disabled print a thread dump; JDK 17 signals without looking. So
 * nothing is signalled unless this says the process is a running HotSpot JVM of the right user that handles
 * SIGQUIT or already listens for attach.
 */
record TargetProcess(long pid, String command, char state, long uid, boolean handlesQuit, boolean hotSpot,
        boolean listening, boolean attachDisabled) {
    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    /** Reads {@code /proc/PID}; null when there is no such process. */
    static TargetProcess read(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            List<String> status = Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8);
            String command = MessageView.printable(field(status, "Name:", ""));
            char state = field(status, "State:", "?").charAt(0);
            long uid = Long.parseLong(field(status, "Uid:", "-1 -1").split("\\s+")[1]);
            long caught = Long.parseUnsignedLong(field(status, "SigCgt:", "0"), 16);
            String[] nsPids = field(status, "NSpid:", Long.toString(pid)).split("\\s+");
            String nsPid = nsPids[nsPids.length - 1];
            boolean hotSpot = mapsLibJvm(proc);
            boolean listening = Files.exists(proc.resolve("root/tmp/.java_pid" + nsPid));
            return new TargetProcess(pid, command, state, uid, (caught & SIGQUIT_BIT) != 0, hotSpot, listening,
                    disablesAttach(proc));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            // Unreadable (another user's, hidepid): treated as nothing we may signal.
            return new TargetProcess(pid, "?", '?', -1, false, false, false, false);
        }
    }

    /** Why the agent must not be attached to this process by a caller of uid {@code self}; null when it may. */
    String refusal(long self) {
        String what = "process " + pid + " (" + command + ")";
        if (state == 'Z' || state == 'X') {
            return what + " has exited and waits to be reaped (a zombie): there is nothing to attach to";
        }
        if (self != 0 && uid >= 0 && self != uid) {
            return what + " runs as uid " + uid + " and this command as uid " + self
                    + ": run it as the same user (for example with sudo -u); nothing was sent to it";
        }
        if (uid < 0) {
            return what + " cannot be read in /proc (another user's, or hidden): nothing was sent to it";
        }
        if (!hotSpot) {
            return what + " is not a Java virtual machine: nothing was sent to it (the attach mechanism's signal,"
                    + " SIGQUIT, would end most other programs)";
        }
        if (attachDisabled) {
            return what + " is a JVM started with -XX:+DisableAttachMechanism: it cannot load an agent after start;"
                    + " add -javaagent to its command line instead. Nothing was sent to it";
        }
        if (!listening && !handlesQuit) {
            return what + " is a JVM that does not handle SIGQUIT (started with -Xrs?): the attach signal would end"
                    + " it, so nothing was sent; add -javaagent to its command line instead";
        }
        return null;
    }

    private static String field(List<String> status, String name, String absent) {
        for (String line : status) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).trim();
            }
        }
        return absent;
    }

    /** HotSpot's library in the process's mappings; false when they cannot be read (another user's process). */
    private static boolean mapsLibJvm(Path proc) {
        try (var lines = Files.lines(proc.resolve("maps"), StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(l -> l.endsWith("/libjvm.so"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The flag on the command line, or in the variables the java launcher reads options from. */
    private static boolean disablesAttach(Path proc) {
        String flag = "-XX:+DisableAttachMechanism";
        try {
            if (new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.ISO_8859_1).contains(flag)) {
                return true;
            }
            for (String variable : new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.ISO_8859_1)
                    .split("\0")) {
                if ((variable.startsWith("JAVA_TOOL_OPTIONS=") || variable.startsWith("JDK_JAVA_OPTIONS=")
                        || variable.startsWith("_JAVA_OPTIONS=")) && variable.contains(flag)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // Unreadable: the JDK's own check (its perf data) still applies.
        }
        return false;
    }
}
