package io.microagent.collect.process;

import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import io.microagent.linux.Clocks;
import io.microagent.linux.NetlinkSocket;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code Process_Mode=2}: the proc connector, on two sockets whose socket filters split the events: execs, which
 * wake the reader, and forks, exits and uid changes, which are taken with them (or within {@link #BUSY_DRAIN_MS},
 * or at once when nothing else happens), in timestamp order. Threads, comm and session changes are dropped by the
 * kernel. The parent and the real uid of each process come from the events themselves ({@link LiveProcesses}), so
 * an exec costs two /proc reads, its command line and its executable. Each reading is held until it can be
 * vouched for:
 * <ul>
 * <li>a reading is the process's own if the process ended after it: its exit event's timestamp is later than the
 * reading (a pid is reused only after its process ended). One the reader has caught up with well after the
 * reading, without an exit, is the process's own too. A reading that was too late becomes an empty command
 * line: counted, never another process's;</li>
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
     * this margin: any event of those processes from before the reading (a later exec, an exit) had been handled.
     */
    private static final long SETTLE_NANOS = 100_000_000L;
    /** Children usually exec within this of their fork: reading them sooner is wasted work. */
    private static final long FORK_READ_AFTER_NANOS = 1_000_000L;
    /** While forks and exits come, the reader wakes for execs only, and takes the others at least this often. */
    private static final int BUSY_DRAIN_MS = 10;
    /** When nothing comes, the reader still marks itself caught up this often. */
    private static final int IDLE_WAIT_MS = 2000;
    private static final Comparator<ProcEvent> BY_TIME = Comparator.comparingLong(ProcEvent::timestampNanos);

    /**
     * A reading held back until it is vouched for (readAt: System.nanoTime() once read, the clock of the events'
     * timestamps). A fork is read only once the reader has caught up and it still has not exec'd. {@code earlier}:
     * the readings of the process's earlier execs, vouched for with it.
     */
    private record Held(ProcessExecution execution, long readAt, boolean forkUnread, Held earlier) {
    }

    private final ProcReader proc;
    private final Consumer<ProcessExecution> sink;
    private final ProcessCounters counters;
    private final AgentLog log;
    private final Failures failures;
    private final Map<Integer, Held> held = new LinkedHashMap<>();
    private final LiveProcesses live = new LiveProcesses();
    /** Events taken from both sockets and not yet handled, in timestamp order once sorted. */
    private final List<ProcEvent> pending = new ArrayList<>();
    private final List<ProcEvent> batch = new ArrayList<>();
    private NetlinkSocket execs;
    private NetlinkSocket others;
    private Thread reader;
    private volatile boolean running;
    private volatile long caughtUpAt = System.nanoTime();

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
        execs = subscribed(true);
        try {
            others = subscribed(false);
        } catch (IOException e) {
            execs.close();
            throw e;
        }
        running = true;
        reader = AgentThreads.start("process-netlink", this::run);
    }

    private static NetlinkSocket subscribed(boolean execs) throws IOException {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, GROUP_CN_IDX_PROC, RECEIVE_BUFFER);
        try {
            socket.attachFilter(ProcConnectorMessages.filter(execs)); // before the subscription: nothing unfiltered
            socket.send(ProcConnectorMessages.subscription(true));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void windowClosing(Instant windowEnd) {
        release(caughtUpAt - SETTLE_NANOS);
    }

    @Override
    public void stop() {
        running = false;
        for (NetlinkSocket socket : new NetlinkSocket[] {execs, others}) {
            if (socket != null) {
                try {
                    socket.send(ProcConnectorMessages.subscription(false));
                } catch (IOException e) {
                    // Closing the socket unsubscribes as well.
                }
            }
        }
        if (execs != null) {
            execs.endWaits(); // the reader takes what is queued, then ends
        }
        AgentThreads.join(reader, Duration.ofSeconds(5));
        if (execs != null) {
            execs.close();
            others.close();
        }
        release(caughtUpAt);
        List<Held> rest;
        synchronized (held) { // left only if the reader did not end in time: read after its last catch-up
            unvouchAll();
            rest = new ArrayList<>(held.values());
            held.clear();
        }
        rest.forEach(this::report);
    }

    /** Reports every held reading taken before {@code readBefore} (System.nanoTime): nothing can refute it now. */
    private void release(long readBefore) {
        List<Held> due = new ArrayList<>();
        synchronized (held) {
            for (Iterator<Held> it = held.values().iterator(); it.hasNext();) {
                Held h = it.next();
                if (h.readAt() - readBefore < 0) {
                    due.add(h);
                    it.remove();
                }
            }
        }
        due.forEach(this::report);
    }

    private void report(Held h) {
        for (Held r = h; r != null; r = r.earlier()) {
            sink.accept(r.execution());
        }
    }

    private void run() {
        boolean othersCame = false;
        while (running) {
            try {
                long forkDue = readForks();
                int wait = forkDue >= 0 ? (int) Math.max(1, forkDue / 1_000_000)
                        : othersCame ? BUSY_DRAIN_MS : IDLE_WAIT_MS;
                // While forks and exits come, only an exec (or the wait's end) wakes the reader; else any event.
                execs.awaitReadable(othersCame ? Math.min(wait, BUSY_DRAIN_MS) : wait, othersCame ? null : others);
                othersCame = take();
            } catch (NetlinkSocket.OverflowException e) {
                overflowed();
            } catch (IOException e) {
                if (running) {
                    failures.record("process netlink socket", e);
                }
                return;
            }
        }
        try {
            take(); // stopping: what was queued before the unsubscription still counts
        } catch (NetlinkSocket.OverflowException e) {
            overflowed();
        } catch (IOException e) {
            // Closed meanwhile: what is held is vouched for as far as the reader had caught up.
        }
    }

    /**
     * Takes everything queued on both sockets and handles it in timestamp order. When a socket gave a full batch
     * (more is queued), events after the last of that batch wait for the next round: one of the other socket's
     * may still be queued behind it.
     * @return whether forks, exits or uid changes came
     */
    private boolean take() throws IOException {
        boolean othersCame = false;
        boolean more = true;
        while (more) {
            List<ByteBuffer> fromExecs = execs.receiveQueued();
            long upTo = parse(fromExecs);
            List<ByteBuffer> fromOthers = others.receiveQueued();
            othersCame |= !fromOthers.isEmpty();
            upTo = Math.min(upTo, parse(fromOthers));
            more = upTo != Long.MAX_VALUE;
            pending.sort(BY_TIME); // stable: one socket's events keep their order
            batch.clear();
            int n = 0;
            while (n < pending.size() && pending.get(n).timestampNanos() - upTo <= 0) {
                batch.add(pending.get(n++));
            }
            pending.subList(0, n).clear();
            failures.contain("process events", this::handleBatch);
        }
        caughtUpAt = System.nanoTime(); // both queues were empty: everything before now is handled
        return othersCame;
    }

    /**
     * Adds the events of {@code datagrams} to the pending ones.
     * @return the timestamp of the last when the batch was full (more may be queued), else Long.MAX_VALUE
     */
    private long parse(List<ByteBuffer> datagrams) {
        int before = pending.size();
        for (ByteBuffer datagram : datagrams) {
            counters.malformed.addAndGet(ProcConnectorMessages.parse(datagram, pending::add));
        }
        if (datagrams.size() < NetlinkSocket.BATCH || pending.size() == before) {
            return Long.MAX_VALUE;
        }
        return pending.get(pending.size() - 1).timestampNanos();
    }

    /** Events were lost, among them perhaps exits that would refute a reading: nothing held can be vouched for. */
    private void overflowed() {
        if (counters.overflows.getAndIncrement() == 0) {
            log.warning("the kernel dropped process events (the agent's socket buffer was full); counted"
                    + " in DroppedEventsStatistics from now on");
        }
        synchronized (held) {
            unvouchAll();
        }
        live.forget();
        pending.clear();
    }

    /** Replaces every held reading by an unread one: counted, its command line not reported. */
    private void unvouchAll() {
        for (Map.Entry<Integer, Held> entry : held.entrySet()) {
            entry.setValue(unread(entry.getValue()));
        }
    }

    private Held unread(Held h) {
        if (h == null) {
            return null;
        }
        ProcessExecution e = h.execution();
        ProcessExecution blank = e;
        if (!e.commandLine().isEmpty()) {
            counters.ambiguous.incrementAndGet();
            blank = ProcessExecution.unread(e.time(), e.pid(), e.parentPid(), e.type());
        }
        return new Held(blank, h.readAt(), h.forkUnread(), unread(h.earlier()));
    }

    private void handleBatch() {
        Instant now = Instant.now();
        for (ProcEvent event : batch) {
            if (event.pid() != event.tgid() && event.kind() != ProcEvent.Kind.EXEC
                    && event.kind() != ProcEvent.Kind.UID) {
                continue; // threads starting and ending are not processes (the socket filter drops them already)
            }
            switch (event.kind()) {
                case FORK -> fork(event, now);
                case EXEC -> exec(event.tgid(), now);
                case UID -> live.uidChanged(event.tgid(), event.uid(), event.timestampNanos());
                case EXIT -> exit(event.tgid(), event.timestampNanos());
                default -> {
                }
            }
        }
    }

    private void fork(ProcEvent event, Instant now) {
        int parent = event.parentTgid();
        if (live.get(parent) == null) {
            learn(parent); // once per process that forks, so that its later children need no status read
        }
        live.forked(event.tgid(), parent, event.timestampNanos());
        hold(new Held(ProcessExecution.unread(now, event.tgid(), parent, ProcessExecution.FORK), System.nanoTime(),
                true, null));
    }

    private void exit(int pid, long exitedAt) {
        Held previous;
        synchronized (held) {
            previous = held.remove(pid);
        }
        live.exited(pid);
        for (Held h = previous; h != null; h = h.earlier()) {
            ProcessExecution e = h.execution();
            // Read after the process had ended: the pid may have been someone else's by then.
            if (exitedAt - h.readAt() <= 0 && !e.commandLine().isEmpty()) {
                counters.unread.incrementAndGet();
                e = ProcessExecution.unread(e.time(), pid, e.parentPid(), e.type());
            }
            sink.accept(e);
        }
    }

    private void exec(int pid, Instant now) {
        Held previous;
        synchronized (held) {
            previous = held.remove(pid);
        }
        ProcessExecution current = read(pid, now, ProcessExecution.EXEC);
        long readAt = System.nanoTime();
        // Gone, or already a zombie (whose command line reads empty): nothing to vouch for the earlier reading with.
        boolean unread = current.commandLine().isEmpty();
        if (unread) {
            counters.unread.incrementAndGet();
        }
        Held earlier = null;
        if (previous != null) {
            earlier = previous.earlier();
            ProcessExecution before = previous.execution();
            if (before.type().equals(ProcessExecution.EXEC)) {
                // Command lines only: the exe link of an exiting process is already unreadable while its cmdline is not.
                if (!before.commandLine().isEmpty() && (unread || before.commandLine().equals(current.commandLine()))) {
                    // The earlier reading may have seen this exec's image: it cannot be vouched for.
                    counters.ambiguous.incrementAndGet();
                    before = ProcessExecution.unread(before.time(), pid, before.parentPid(), ProcessExecution.EXEC);
                }
                earlier = new Held(before, previous.readAt(), false, earlier);
            }
        }
        hold(new Held(current, readAt, false, earlier));
    }

    /** A process's image; its parent and uid from the events, or from its status when they did not say. */
    private ProcessExecution read(int pid, Instant time, String type) {
        LiveProcesses.Known known = live.complete(pid);
        if (known != null) {
            return proc.image(pid, time, known.parent(), known.uid(), type);
        }
        LiveProcesses.Known partial = live.get(pid);
        Integer eventParent = partial == null || partial.parent() == LiveProcesses.UNKNOWN ? null : partial.parent();
        ProcessExecution e = proc.withStatus(pid, time, eventParent, type);
        if (e.uid() != null && e.parentPid() != null) {
            live.learned(pid, e.parentPid(), e.uid(), System.nanoTime());
        }
        return e;
    }

    private void learn(int pid) {
        int[] uidAndParent = proc.uidAndParent(pid);
        if (uidAndParent != null && uidAndParent[0] >= 0) {
            live.learned(pid, uidAndParent[1] > 0 ? uidAndParent[1] : LiveProcesses.UNKNOWN, uidAndParent[0],
                    System.nanoTime()); // holds from the end of the read: a fork before it does not inherit it
        }
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
            ProcessExecution read = read(e.pid(), e.time(), ProcessExecution.FORK);
            synchronized (held) {
                held.replace(e.pid(), h, new Held(read, System.nanoTime(), false, h.earlier()));
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
            // Reported early rather than held without bound; vouched for only if the reader caught up after it.
            report(evicted.readAt() - (caughtUpAt - SETTLE_NANOS) < 0 ? evicted : unread(evicted));
        }
    }
}
