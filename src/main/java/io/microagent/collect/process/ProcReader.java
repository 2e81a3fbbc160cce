package io.microagent.collect.process;

import io.microagent.linux.HostPaths;
import io.microagent.linux.ProcDirectory;
import io.microagent.linux.UserNames;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads what a process is from {@code /proc/PID} (under the host root): command line, executable, uid, parent.
 * A process that is gone yields an execution with an empty command line: never another process's data.
 * <ul>
 * <li>{@link #image} and {@link #withStatus} read files by path, for the proc connector, whose exit events tell
 * whether the pid still was the process when it was read;</li>
 * <li>{@link #scanned} reads through one directory descriptor, so every file describes one process, and says
 * from the kernel's task flags whether the process exec'd after its fork.</li>
 * </ul>
 */
final class ProcReader {
    /** task flag: forked, and not (yet) exec'd (linux/sched.h); shown in field 9 of /proc/PID/stat. */
    private static final long PF_FORKNOEXEC = 0x40;

    private final UserNames users;
    private final String procRoot;
    /** One reused buffer: a reader belongs to one thread (the source's reader or scanner). */
    private final ProcDirectory directory = new ProcDirectory(64 * 1024);

    ProcReader(HostPaths host, UserNames users) {
        this.users = users;
        this.procRoot = host.resolve("/proc").toString() + "/";
    }

    /** What an exec replaces, the command line and the executable; the parent and uid are the caller's. */
    ProcessExecution image(int pid, Instant time, int parent, int uid, String type) {
        directory.use(procRoot + pid);
        try {
            byte[] cmdline = directory.read("cmdline");
            String executable = directory.readLink("exe"); // null for kernel threads and exiting processes
            return new ProcessExecution(time, pid, parent, ProcFiles.commandLine(cmdline), executable, uid,
                    users.nameOf(uid), type);
        } catch (IOException | RuntimeException e) {
            return ProcessExecution.unread(time, pid, parent, type);
        } finally {
            directory.close();
        }
    }

    /**
     * The image, with the uid and the parent from {@code status}: for a process the events said too little of.
     * {@code knownParent} (or null) is what the event itself said, kept when the process is gone.
     */
    ProcessExecution withStatus(int pid, Instant time, Integer knownParent, String type) {
        directory.use(procRoot + pid);
        try {
            int[] uidAndParent = ProcFiles.uidAndParent(directory.readText("status"));
            byte[] cmdline = directory.read("cmdline");
            String executable = directory.readLink("exe");
            Integer uid = uidAndParent[0] >= 0 ? uidAndParent[0] : null;
            Integer parent = uidAndParent[1] > 0 ? Integer.valueOf(uidAndParent[1]) : knownParent;
            return new ProcessExecution(time, pid, parent, ProcFiles.commandLine(cmdline), executable, uid,
                    uid == null ? null : users.nameOf(uid), type);
        } catch (IOException | RuntimeException e) {
            return ProcessExecution.unread(time, pid, knownParent, type);
        } finally {
            directory.close();
        }
    }

    /** The uid and parent of a process from its {@code status} (-1 for what it does not say), or null when gone. */
    int[] uidAndParent(int pid) {
        directory.use(procRoot + pid);
        try {
            return ProcFiles.uidAndParent(directory.readText("status"));
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            directory.close();
        }
    }

    /**
     * A process as a /proc scan finds it: {@code exec} when it exec'd since its fork, {@code fork} when it has not
     * (the kernel's PF_FORKNOEXEC), so a forked child is never taken for an execution of its parent's command line.
     */
    ProcessExecution scanned(int pid, Instant time) {
        if (!directory.open(procRoot + pid)) {
            return ProcessExecution.unread(time, pid, null, ProcessExecution.EXEC);
        }
        try {
            String stat = directory.readText("stat");
            long flags = ProcFiles.statField(stat, 9);
            long parent = ProcFiles.statField(stat, 4);
            if (flags < 0) {
                return ProcessExecution.unread(time, pid, null, ProcessExecution.EXEC);
            }
            String type = (flags & PF_FORKNOEXEC) != 0 ? ProcessExecution.FORK : ProcessExecution.EXEC;
            int uid = ProcFiles.uidAndParent(directory.readText("status"))[0];
            byte[] cmdline = directory.read("cmdline");
            String executable = directory.readLink("exe");
            return new ProcessExecution(time, pid, parent > 0 ? Integer.valueOf((int) parent) : null,
                    ProcFiles.commandLine(cmdline), executable, uid >= 0 ? uid : null,
                    uid >= 0 ? users.nameOf(uid) : null, type);
        } catch (IOException | RuntimeException e) {
            return ProcessExecution.unread(time, pid, null, ProcessExecution.EXEC);
        } finally {
            directory.close();
        }
    }
}
