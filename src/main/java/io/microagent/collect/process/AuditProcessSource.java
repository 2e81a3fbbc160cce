package io.microagent.collect.process;

import java.time.Duration;
import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import io.microagent.linux.NetlinkMessages;
import io.microagent.linux.NetlinkSocket;
import io.microagent.linux.UserNames;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code Process_Mode=4}: the kernel audit log, with execve rules, gives every exec with its full argv. When an
 * audit daemon runs, the agent only listens on the read-only multicast group; otherwise it registers as the
 * audit daemon itself so the kernel does not print every record to its log. Every change to the audit
 * configuration is recorded and put back when the source stops (and by the next run if this one is killed).
 */
final class AuditProcessSource implements ProcessSource {
    private static final int AUDIT_NLGRP_READLOG = 1;
    private static final int RECEIVE_BUFFER = 16 << 20;

    private final UserNames users;
    private final Consumer<ProcessExecution> sink;
    private final ProcessCounters counters;
    private final AgentLog log;
    private final Failures failures;
    private final Optional<Path> stateDirectory;
    private final AuditRecords records;
    private AuditControl control;
    private AuditChanges changes = AuditChanges.NONE;
    private NetlinkSocket reader;
    private Thread thread;
    private volatile boolean running;

    AuditProcessSource(UserNames users, Consumer<ProcessExecution> sink, ProcessCounters counters, AgentLog log,
            Failures failures, Optional<Path> stateDirectory) {
        this.users = users;
        this.sink = sink;
        this.counters = counters;
        this.log = log;
        this.failures = failures;
        this.stateDirectory = stateDirectory;
        this.records = new AuditRecords(this::exec);
    }

    @Override
    public ProcessMode mode() {
        return ProcessMode.AUDIT;
    }

    /**
     * Puts back what a killed agent's Audit mode changed, recorded in the state directory: whichever agent collects
     * for the host next does it, in whatever mode it runs, before it looks at the audit configuration.
     */
    static void restoreLeftOver(Optional<Path> stateDirectory, AgentLog log) {
        if (stateDirectory.isEmpty() || !Files.exists(stateDirectory.get().resolve(AuditControl.CHANGES_FILE))) {
            return;
        }
        try (AuditControl control = new AuditControl(AuditRule.forArchitecture(System.getProperty("os.arch")),
                stateDirectory)) {
            Optional<AuditChanges> leftOver = control.leftOver();
            if (leftOver.isPresent()) {
                List<String> failed = control.restore(leftOver.get());
                log.warning("a previous run ended without restoring the audit configuration; put back: "
                        + leftOver.get().describe() + (failed.isEmpty() ? "" : "; failed: " + failed));
            }
        } catch (IOException | RuntimeException e) {
            log.error("cannot put back the audit configuration a previous run changed (" + e + "); it is recorded in "
                    + stateDirectory.get().resolve(AuditControl.CHANGES_FILE));
        }
    }

    @Override
    public synchronized void start() throws IOException {
        control = new AuditControl(AuditRule.forArchitecture(System.getProperty("os.arch")), stateDirectory);
        try {
            AuditStatus status = control.status();
            changes = control.apply(status);
            status = awaitDeadDaemonReset(status);
            boolean daemonRuns = status.pid() != 0;
            reader = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT, daemonRuns ? AUDIT_NLGRP_READLOG : 0,
                    RECEIVE_BUFFER);
            if (!daemonRuns) {
                changes = control.register(reader, changes);
            }
            log.info("Audit mode: " + changes.describe() + (daemonRuns ? "; listening beside the audit daemon (pid "
                    + status.pid() + ")" : "") + ". All of it is put back when the agent stops");
        } catch (IOException | RuntimeException e) {
            stopQuietly();
            throw e instanceof IOException io ? io : new IOException(e);
        }
        running = true;
        thread = AgentThreads.start("process-audit", this::run);
    }

    /**
     * A daemon registered by a process that died (a killed agent) stays registered until the kernel's next
     * delivery to it fails, which the configuration changes just made trigger: wait briefly for that reset.
     */
    private AuditStatus awaitDeadDaemonReset(AuditStatus status) throws IOException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (status.pid() != 0 && ProcessHandle.of(status.pid()).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = control.status();
        }
        return status;
    }

    @Override
    public void stop() {
        running = false;
        AgentThreads.join(thread, Duration.ofSeconds(5));
        stopQuietly();
    }

    private synchronized void stopQuietly() {
        if (control != null) {
            List<String> failed = control.restore(changes);
            if (!failed.isEmpty()) {
                log.error("Audit mode could not put back: " + failed + " (what it had changed: " + changes.describe()
                        + ")");
            }
            changes = AuditChanges.NONE;
            control.close();
            control = null;
        }
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private void run() {
        NetlinkSocket socket = reader;
        while (running) {
            try {
                ByteBuffer datagram = socket.receive();
                if (datagram.remaining() >= NetlinkMessages.HEADER) {
                    failures.contain("audit records", () -> record(datagram));
                }
            } catch (NetlinkSocket.OverflowException e) {
                if (counters.overflows.getAndIncrement() == 0) {
                    log.warning("audit records were dropped (the agent's socket buffer was full); counted from now on");
                }
            } catch (IOException e) {
                if (running) {
                    failures.record("audit socket", e);
                }
                return;
            }
        }
    }

    /**
     * One record per datagram. The kernel's audit records carry the payload's length, not the message's, in
     * nlmsg_len (audit's long-standing quirk), so the payload is everything after the header.
     */
    private void record(ByteBuffer datagram) {
        int type = Short.toUnsignedInt(datagram.getShort(4));
        byte[] text = new byte[datagram.remaining() - NetlinkMessages.HEADER];
        datagram.get(NetlinkMessages.HEADER, text);
        int end = text.length;
        while (end > 0 && text[end - 1] == 0) {
            end--;
        }
        long before = records.malformed();
        records.accept(type, new String(text, 0, end, StandardCharsets.UTF_8));
        counters.malformed.addAndGet(records.malformed() - before);
    }

    private void exec(AuditRecords.Exec e) {
        Integer uid = e.uid() != null && e.uid() != -1 ? e.uid() : null;
        sink.accept(new ProcessExecution(e.time(), e.pid(), e.ppid() > 0 ? e.ppid() : null, String.join(" ", e.argv()),
                e.executable(), uid, uid == null ? null : users.nameOf(uid), ProcessExecution.EXEC));
    }
}
