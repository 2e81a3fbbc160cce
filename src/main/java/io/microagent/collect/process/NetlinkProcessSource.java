package io.microagent.collect.process;

import java.time.Duration;
import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import io.microagent.linux.Clocks;
import io.microagent.linux.NetlinkSocket;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code Process_Mode=2}: the proc connector. Each exec is read from /proc as soon as its event arrives, and
 * the reading is held until the process exits, execs again, or a window closes:
 * <ul>
 * <li>a fork is held the same way; an exec of that process replaces it (fork-then-exec is one exec), an exit
 * or a window close reports it as a fork. Most forks exec at once, so a fork is read from /proc only when the
 * reader has caught up with the kernel and the process still has not exec'd;</li>
 * <li>a /proc read can only see the process's current image, which may already be a later exec's. So when the
 * next exec of the same process reads the same image, or reads nothing, the earlier exec is reported with an
 * empty command line: counted, never attributed a command line that may not be its own.</li>
 * </ul>
 */
final class NetlinkProcessSource implements ProcessSource {
    private static final int GROUP_CN_IDX_PROC = 1;
    private static final int RECEIVE_BUFFER = 8 << 20;
    private static final int MAX_HELD = 8192;
    /**
     * A window close takes only readings older than the last moment the reader had drained the socket, less
     * this margin: any later exec of those processes had been reported (and handled) by then.
     */
    private static final long SETTLE_NANOS = 100_000_000L;
    /** Children usually exec within this of their fork: reading them sooner is wasted work. */
    private static final long FORK_READ_AFTER_NANOS = 1_000_000L;

    /** A reading held back; a fork is read only once the reader has caught up and it still has not exec'd. */
    private record Held(ProcessExecution execution, long readAt, boolean forkUnread, long bootNanos) {
    }

    private final ProcReader proc;
    private final Consumer<ProcessExecution> sink;
    private final ProcessCounters counters;
    private final AgentLog log;
    private final Failures failures;
    private final Map<Integer, Held> held = new LinkedHashMap<>();
    private final List<ProcEvent> batch = new ArrayList<>();
    private NetlinkSocket socket;
    private Thread reader;
    private volatile boolean running;
    private volatile long caughtUpAt = System.nanoTime();
    private long suspendedNanos;

    NetlinkProcessSource(ProcReader proc, Consumer<ProcessExecution> sink, ProcessCounters counters, AgentLog log,
            Failures failures) {
        this.proc = proc;
        this.sink = sink;
        this.counters = counters;
        this.log = log;
        this.failures = failures;
    }

    @Override
    public ProcessMode mode() {
        return ProcessMode.NETLINK;
    }

    @Override
    public void start() throws IOException {
        socket = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, GROUP_CN_IDX_PROC, RECEIVE_BUFFER);
        try {
            socket.send(ProcConnectorMessages.subscription(true));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        suspendedNanos = Clocks.suspendedNanos();
        running = true;
        reader = AgentThreads.start("process-netlink", this::run);
    }

    @Override
    public void windowClosing(Instant windowEnd) {
        release(caughtUpAt - SETTLE_NANOS);
    }

    @Override
    public void stop() {
        running = false;
        if (socket != null) {
            try {
                socket.send(ProcConnectorMessages.subscription(false));
            } catch (IOException e) {
                // Closing the socket unsubscribes as well.
            }
            socket.close();
        }
        AgentThreads.join(reader, Duration.ofSeconds(5));
        release(Long.MAX_VALUE);
    }

    /** Reports every held reading taken before {@code readBefore} (System.nanoTime). */
    private void release(long readBefore) {
        List<ProcessExecution> due = new ArrayList<>();
        synchronized (held) {
            for (Iterator<Held> it = held.values().iterator(); it.hasNext();) {
                Held h = it.next();
                if (h.readAt() - readBefore < 0) {
                    due.add(h.execution());
                    it.remove();
                }
            }
        }
        due.forEach(sink);
    }

    private void run() {
        while (running) {
            try {
                ByteBuffer datagram = socket.receive();
                while (true) {
                    while (datagram.hasRemaining()) {
                        batch.clear();
                        counters.malformed.addAndGet(ProcConnectorMessages.parse(datagram, batch::add));
                        failures.contain("process events", this::handleBatch);
                        datagram = socket.receiveNow();
                    }
                    caughtUpAt = System.nanoTime(); // the queue was empty: everything before now is handled
                    suspendedNanos = Clocks.suspendedNanos();
                    long wait = readForks();
                    if (wait < 0) {
                        break;
                    }
                    // A fork not yet old enough to read: wait for it, or for the next event, whichever is first.
                    datagram = socket.awaitReadable((int) Math.max(1, wait / 1_000_000)) ? socket.receiveNow()
                            : datagram;
                }
            } catch (NetlinkSocket.OverflowException e) {
                if (counters.overflows.getAndIncrement() == 0) {
                    log.warning("the kernel dropped process events (the agent's socket buffer was full); counted"
                            + " in DroppedEventsStatistics from now on");
                }
            } catch (IOException e) {
                if (running) {
                    failures.record("process netlink socket", e);
                }
                return;
            }
        }
    }

    private void handleBatch() {
        Instant now = Instant.now();
        for (ProcEvent event : batch) {
            if (event.pid() != event.tgid() && event.kind() != ProcEvent.Kind.EXEC) {
                continue; // threads starting and ending are not processes
            }
            long bootNanos = event.timestampNanos() + suspendedNanos;
            switch (event.kind()) {
                case FORK -> hold(new Held(ProcessExecution.unread(now, event.tgid(), event.parentTgid(),
                        ProcessExecution.FORK), System.nanoTime(), true, bootNanos));
                case EXEC -> exec(event.tgid(), now, bootNanos);
                case EXIT -> {
                    Held previous;
                    synchronized (held) {
                        previous = held.remove(event.tgid());
                    }
                    if (previous != null) {
                        sink.accept(previous.execution());
                    }
                }
                default -> {
                }
            }
        }
    }

    private void exec(int pid, Instant now, long bootNanos) {
        Held previous;
        synchronized (held) {
            previous = held.remove(pid);
        }
        Integer parent = previous == null ? null : previous.execution().parentPid();
        ProcessExecution current = proc.read(pid, now, parent, ProcessExecution.EXEC, bootNanos);
        // Gone, or already a zombie (whose command line reads empty): nothing to vouch for the earlier reading with.
        boolean unread = current.commandLine().isEmpty();
        if (unread) {
            counters.unread.incrementAndGet();
        }
        if (previous != null && previous.execution().type().equals(ProcessExecution.EXEC)) {
            ProcessExecution earlier = previous.execution();
            // Command lines only: the exe link of an exiting process is already unreadable while its cmdline is not.
            if (unread || earlier.commandLine().equals(current.commandLine())) {
                // The earlier reading may have seen this exec's image: it cannot be vouched for.
                counters.ambiguous.incrementAndGet();
                earlier = ProcessExecution.unread(earlier.time(), pid, earlier.parentPid(), ProcessExecution.EXEC);
            }
            sink.accept(earlier);
        }
        hold(new Held(current, System.nanoTime(), false, bootNanos));
    }

    /**
     * Reads the forks that are still forks, a while after they forked, now that the reader has caught up.
     * @return nanoseconds until the youngest fork left unread is due, or -1 when none is left
     */
    private long readForks() {
        List<Held> toRead = new ArrayList<>();
        long now = System.nanoTime();
        long forkedBefore = now - FORK_READ_AFTER_NANOS;
        long wait = -1;
        synchronized (held) {
            for (Held h : held.values()) {
                if (!h.forkUnread()) {
                    continue;
                }
                if (h.readAt() - forkedBefore < 0) {
                    toRead.add(h);
                } else {
                    long due = h.readAt() + FORK_READ_AFTER_NANOS - now;
                    wait = wait < 0 ? due : Math.min(wait, due);
                }
            }
        }
        for (Held h : toRead) {
            ProcessExecution e = h.execution();
            ProcessExecution read = proc.read(e.pid(), e.time(), e.parentPid(), ProcessExecution.FORK, h.bootNanos());
            synchronized (held) {
                held.replace(e.pid(), h, new Held(read, System.nanoTime(), false, h.bootNanos()));
            }
        }
        return wait;
    }

    private void hold(Held reading) {
        Held evicted = null;
        synchronized (held) {
            held.put(reading.execution().pid(), reading);
            if (held.size() > MAX_HELD) {
                Iterator<Held> oldest = held.values().iterator();
                evicted = oldest.next();
                oldest.remove();
            }
        }
        if (evicted != null) {
            sink.accept(evicted.execution()); // reported early rather than held without bound
        }
    }
}
