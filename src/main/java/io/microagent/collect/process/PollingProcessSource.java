package io.microagent.collect.process;

import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import io.microagent.linux.HostPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code Process_Mode=3}: lists /proc every {@code Process_PollingInterval} and reports processes whose pid is
 * new since the last scan. Processes that start and end between two scans are missed: the kernel modes
 * don't miss them. Processes running when the agent starts are not reported. Whether a new process exec'd since
 * its fork is the kernel's own flag (PF_FORKNOEXEC in /proc/PID/stat), not a guess from its parent's command
 * line, which the parent may have changed or taken away by the time of the scan. One that has not is looked at
 * again next scan and reported as a fork only if it still has not exec'd.
 */
final class PollingProcessSource implements ProcessSource {
    private final HostPaths host;
    private final ProcReader proc;
    private final Consumer<ProcessExecution> sink;
    private final Duration interval;
    private final Failures failures;
    private Set<Integer> known = new HashSet<>();
    /** New pids that had not exec'd since their fork at the last scan. */
    private Set<Integer> forked = new HashSet<>();
    private Thread scanner;
    private volatile boolean running;

    PollingProcessSource(HostPaths host, ProcReader proc, Consumer<ProcessExecution> sink, Duration interval,
            Failures failures) {
        this.host = host;
        this.proc = proc;
        this.sink = sink;
        this.interval = interval;
        this.failures = failures;
    }

    @Override
    public ProcessMode mode() {
        return ProcessMode.POLLING;
    }

    @Override
    public void start() throws IOException {
        known = pids();
        running = true;
        scanner = AgentThreads.start("process-polling", this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (scanner != null) {
            scanner.interrupt();
        }
        AgentThreads.join(scanner, Duration.ofSeconds(5));
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            failures.contain("process polling", this::scan);
        }
    }

    /** One scan: every pid not seen in the previous one is read and reported. */
    void scan() {
        Set<Integer> now;
        try {
            now = pids();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + host.resolve("/proc"), e);
        }
        Instant time = Instant.now();
        Set<Integer> stillForked = new HashSet<>();
        for (Integer pid : now) {
            if (known.contains(pid) && !forked.contains(pid)) {
                continue;
            }
            ProcessExecution e = proc.scanned(pid, time);
            if (e.commandLine().isEmpty()) {
                continue; // kernel threads (no command line) and processes already gone are not new work
            }
            if (e.type().equals(ProcessExecution.EXEC) || forked.contains(pid)) {
                sink.accept(e); // exec'd since its fork; or a fork still without exec a scan later
            } else {
                stillForked.add(pid); // it may be about to exec: looked at again next scan
            }
        }
        forked = stillForked;
        known = now;
    }

    private Set<Integer> pids() throws IOException {
        Set<Integer> pids = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(host.resolve("/proc"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Integer.parseInt(name));
                }
            }
        }
        return pids;
    }
}
