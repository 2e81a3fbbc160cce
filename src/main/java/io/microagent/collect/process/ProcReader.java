package io.microagent.collect.process;

import io.microagent.linux.HostPaths;
import io.microagent.linux.UserNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

/**
 * Reads what a process is from {@code /proc/PID} (under the host root): command line, executable, uid, parent.
 * A process that is gone, or whose pid now belongs to a process started after the event, yields an execution
 * with an empty command line: never another process's data.
 */
final class ProcReader {
    /** USER_HZ: /proc's clock tick, 100 on every Linux ABI the agent runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** Start times have a tick's resolution: allow two. */
    private static final long START_SLACK_NANOS = 2 * NANOS_PER_TICK;

    private final HostPaths host;
    private final UserNames users;

    ProcReader(HostPaths host, UserNames users) {
        this.host = host;
        this.users = users;
    }

    /**
     * @param eventBootNanos when the kernel reported the event, in boot-time nanoseconds, or -1 when not known
     *                       (a /proc scan): a process started after it is another process that reused the pid
     */
    ProcessExecution read(int pid, Instant time, Integer knownParent, String type, long eventBootNanos) {
        Path dir = host.resolve("/proc/" + pid);
        // Files are opened relative to one handle on the directory: if the process dies and its pid is reused
        // meanwhile, reads through the old handle fail instead of returning the new process's data.
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            if (!(stream instanceof SecureDirectoryStream<Path> handle)) {
                return ProcessExecution.unread(time, pid, knownParent, type);
            }
            long start = ProcFiles.startTicks(text(handle, "stat"));
            if (start < 0 || (eventBootNanos >= 0 && start * NANOS_PER_TICK > eventBootNanos + START_SLACK_NANOS)) {
                return ProcessExecution.unread(time, pid, knownParent, type);
            }
            byte[] cmdline = bytes(handle, "cmdline");
            int[] uidAndParent = ProcFiles.uidAndParent(text(handle, "status"));
            String executable = executable(dir, start);
            Integer uid = uidAndParent[0] >= 0 ? uidAndParent[0] : null;
            Integer parent = knownParent != null ? knownParent : uidAndParent[1] > 0 ? uidAndParent[1] : null;
            return new ProcessExecution(time, pid, parent, ProcFiles.commandLine(cmdline), executable, uid,
                    uid == null ? null : users.nameOf(uid), type);
        } catch (IOException | RuntimeException e) {
            return ProcessExecution.unread(time, pid, knownParent, type);
        }
    }

    /** The exe link has no handle-relative read in Java: it is kept only if the pid still has the same start. */
    private static String executable(Path dir, long start) {
        try {
            String exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
            long after = ProcFiles.startTicks(Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8));
            return after == start ? exe : null;
        } catch (IOException | RuntimeException e) {
            return null; // kernel threads, or another user's process without ptrace access
        }
    }

    private static byte[] bytes(SecureDirectoryStream<Path> dir, String name) throws IOException {
        try (SeekableByteChannel channel = dir.newByteChannel(Path.of(name), Set.of(StandardOpenOption.READ));
                InputStream in = Channels.newInputStream(channel)) {
            return in.readAllBytes();
        }
    }

    private static String text(SecureDirectoryStream<Path> dir, String name) throws IOException {
        return new String(bytes(dir, name), StandardCharsets.UTF_8);
    }
}
