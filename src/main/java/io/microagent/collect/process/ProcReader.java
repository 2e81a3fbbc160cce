package io.microagent.collect.process;

import io.microagent.linux.HostPaths;
import io.microagent.linux.ProcDirectory;
import io.microagent.linux.UserNames;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads what a process is from {@code /proc/PID} (under the host root): command line, executable, uid, parent.
 * All files are read through one descriptor of the process's directory, so they describe one process.
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
    /** One reused buffer: a reader belongs to one thread (the source's reader or scanner). */
    private final ProcDirectory directory = new ProcDirectory(64 * 1024);

    ProcReader(HostPaths host, UserNames users) {
        this.host = host;
        this.users = users;
    }

    /**
     * @param eventBootNanos when the kernel reported the event, in boot-time nanoseconds, or -1 when not known
     *                       (a /proc scan): a process started after it is another process that reused the pid
     */
    ProcessExecution read(int pid, Instant time, Integer knownParent, String type, long eventBootNanos) {
        if (!directory.open(host.resolve("/proc/" + pid).toString())) {
            return ProcessExecution.unread(time, pid, knownParent, type);
        }
        try {
            long start = ProcFiles.startTicks(directory.readText("stat"));
            if (start < 0 || (eventBootNanos >= 0 && start * NANOS_PER_TICK > eventBootNanos + START_SLACK_NANOS)) {
                return ProcessExecution.unread(time, pid, knownParent, type); // the pid belongs to a newer process
            }
            byte[] cmdline = directory.read("cmdline");
            int[] uidAndParent = ProcFiles.uidAndParent(directory.readText("status"));
            String executable = directory.readLink("exe"); // null for kernel threads and exiting processes
            Integer uid = uidAndParent[0] >= 0 ? uidAndParent[0] : null;
            Integer parent = knownParent != null ? knownParent : uidAndParent[1] > 0 ? uidAndParent[1] : null;
            return new ProcessExecution(time, pid, parent, ProcFiles.commandLine(cmdline), executable, uid,
                    uid == null ? null : users.nameOf(uid), type);
        } catch (IOException | RuntimeException e) {
            return ProcessExecution.unread(time, pid, knownParent, type);
        } finally {
            directory.close();
        }
    }
}
