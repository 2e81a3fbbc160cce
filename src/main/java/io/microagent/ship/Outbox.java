package io.microagent.ship;

import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import io.microagent.log.AgentLog;
import io.microagent.output.Output;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Holds messages until each output has taken them. Per output: a queue bounded in bytes (when full the oldest
 * message is dropped), one send in flight, failed sends retried with exponential backoff, and messages older
 * than {@code IothubModule_MessageTimeout} dropped. Every drop is counted and logged once per kind.
 */
public final class Outbox {
    /** Default bound per output: a few windows of messages on a busy device, small for a gateway's memory. */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final long IDLE_WAIT_MS = 1000;
    /** How often the shared spool is looked at for messages to send or already sent by another agent. */
    static final Duration SPOOL_CHECK = Duration.ofSeconds(5);

    private final List<Lane> lanes = new ArrayList<>();
    private final long maxBytes;
    private final Duration timeout;
    private final Clock clock;
    private final AgentLog log;
    private final Failures failures;
    private final Object signal = new Object();
    private volatile boolean running;
    private boolean woken;
    private Thread thread;

    public Outbox(List<Output> outputs, long maxBytes, Duration timeout, Clock clock, AgentLog log,
            Failures failures) {
        this(outputs, Map.of(), maxBytes, timeout, clock, log, failures);
    }

    /**
     * Where an output's unsent messages are kept on disk, shared with the other agents of the state directory, once
     * {@code armed} says so (the IoT Hub output, once a client has been seen here or by another agent there:
     * before that nothing would ever send them).
     */
    public record Spooling(Path directory, BooleanSupplier armed) {
    }

    /**
     * @param spools per output whose unsent messages must survive a restart (the IoT Hub output), where and when;
     *               what an earlier run left there is queued first
     */
    public Outbox(List<Output> outputs, Map<Output, Spooling> spools, long maxBytes, Duration timeout, Clock clock,
            AgentLog log, Failures failures) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.clock = clock;
        this.log = log;
        this.failures = failures;
        for (Output o : outputs) {
            Lane lane = new Lane(o);
            lanes.add(lane);
            lane.spooling = spools.get(o);
            if (lane.spooling != null && lane.spooling.armed().getAsBoolean()) {
                synchronized (lane) {
                    openSpool(lane);
                }
            }
        }
    }

    /** Opens the lane's spool: this JVM's messages written to it, what earlier runs left queued. */
    private void openSpool(Lane lane) {
        try {
            lane.spool = new Spool(lane.spooling.directory());
        } catch (IOException e) {
            lane.warnOnce(log, "spool", "cannot keep unsent messages for " + lane.output.name() + " on disk ("
                    + e.getMessage() + "): they are kept in memory only");
            lane.spooling = null;
            return;
        }
        lane.queue.forEach(p -> lane.keep(p, log));
        long[] unreadable = {0};
        List<Spool.Stored> earlier = new ArrayList<>(lane.spool.own(unreadable));
        earlier.addAll(lane.spool.unclaimed(lane.known, unreadable));
        lane.dropped += unreadable[0];
        earlier.sort(java.util.Comparator.comparing(Spool.Stored::created));
        List<Pending> waiting = new ArrayList<>(lane.queue);
        lane.queue.clear();
        earlier.forEach(stored -> lane.adopt(stored));
        lane.queue.addAll(waiting);
        if (!earlier.isEmpty()) {
            log.info(earlier.size() + " unsent message(s) for " + lane.output.name() + " from an earlier run or another"
                    + " agent of this state directory are queued again");
        }
        while (lane.bytes > maxBytes && lane.dropOldestWaiting()) {
            lane.warnOnce(log, "full", "outbox for " + lane.output.name() + " is full (" + maxBytes
                    + " bytes): the oldest message was dropped");
        }
    }

    /**
     * The spool's upkeep, at most every {@link #SPOOL_CHECK}: opened once armed; while the output can send, what
     * dead JVMs and client-less agents left is queued; while it cannot, this JVM's messages are given to the others;
     * messages another agent has sent leave the queue.
     */
    private void tendSpool(Lane lane, Instant now) {
        if (lane.spooling == null) {
            return;
        }
        boolean ready = lane.output.ready();
        if (lane.spool == null) {
            if (ready || !now.isBefore(lane.nextSpoolCheck)) {
                lane.nextSpoolCheck = now.plus(SPOOL_CHECK);
                if (lane.spooling.armed().getAsBoolean()) {
                    openSpool(lane);
                }
            }
            return;
        }
        if (!ready) {
            for (Pending p : lane.queue) {
                if (p != lane.inFlight && p.file != null && lane.spool.owns(p.file)) {
                    try {
                        lane.known.remove(p.file);
                        p.file = lane.spool.release(p.file);
                        lane.known.add(p.file);
                    } catch (IOException e) {
                        lane.warnOnce(log, "release", "cannot hand an unsent message for " + lane.output.name()
                                + " to the other agents of this state directory (" + e.getMessage() + ")");
                    }
                }
            }
        }
        if (now.isBefore(lane.nextSpoolCheck)) {
            return;
        }
        lane.nextSpoolCheck = now.plus(SPOOL_CHECK);
        lane.queue.removeIf(p -> {
            boolean gone = p != lane.inFlight && p.file != null && !lane.spool.owns(p.file)
                    && !lane.spool.exists(p.file);
            if (gone) {
                lane.handedOver(p);
            }
            return gone;
        });
        if (ready) {
            long[] unreadable = {0};
            for (Spool.Stored stored : lane.spool.unclaimed(lane.known, unreadable)) {
                lane.adopt(stored);
            }
            lane.dropped += unreadable[0];
            while (lane.bytes > maxBytes && lane.dropOldestWaiting()) {
                lane.warnOnce(log, "full", "outbox for " + lane.output.name() + " is full (" + maxBytes
                        + " bytes): the oldest message was dropped");
            }
        }
    }

    /** At exit, after the last flush: this JVM's unsent messages are left to the next agent of the directory. */
    public void close() {
        for (Lane lane : lanes) {
            synchronized (lane) {
                if (lane.spool != null) {
                    lane.spool.close();
                }
            }
        }
    }

    public void offer(List<byte[]> messages) {
        Instant now = clock.instant();
        for (Lane lane : lanes) {
            synchronized (lane) {
                for (byte[] message : messages) {
                    Pending pending = new Pending(message, now);
                    lane.keep(pending, log);
                    lane.queue.addLast(pending);
                    lane.bytes += message.length;
                    while (lane.bytes > maxBytes && lane.dropOldestWaiting()) {
                        lane.warnOnce(log, "full", "outbox for " + lane.output.name() + " is full ("
                                + maxBytes + " bytes): the oldest message was dropped");
                    }
                }
            }
        }
        wake();
    }

    /**
     * Starts the sends that are due and drops what timed out.
     * @return when the outbox next needs attention, unless woken earlier
     */
    public Instant pump() {
        Instant now = clock.instant();
        Instant next = now.plusMillis(IDLE_WAIT_MS * 60);
        for (Lane lane : lanes) {
            // Outputs that complete at once (file, stdout) take the whole queue in one pump.
            while (true) {
                Pending toSend = null;
                synchronized (lane) {
                    tendSpool(lane, now);
                    expire(lane, now);
                    Pending head = lane.queue.peekFirst();
                    if (head != null && lane.inFlight == null) {
                        if (!lane.output.ready()) {
                            next = min(next, now.plusMillis(IDLE_WAIT_MS));
                        } else if (head.notBefore.isAfter(now)) {
                            next = min(next, head.notBefore);
                        } else if (lane.claim(head, now, log)) {
                            lane.inFlight = head;
                            toSend = head;
                        } else {
                            continue; // another agent sent it, or it cannot be claimed now: the next one
                        }
                    }
                    if (lane.spool != null && lane.output.ready()) {
                        next = min(next, lane.nextSpoolCheck);
                    }
                    if (head != null) {
                        next = min(next, head.created.plus(timeout));
                    }
                }
                if (toSend == null) {
                    break;
                }
                send(lane, toSend);
            }
        }
        return next;
    }

    /** Sends what it can within {@code bound} (at shutdown); returns how many messages are still waiting. */
    public long flush(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            pump();
            boolean busy = false;
            long waiting = 0;
            for (Lane lane : lanes) {
                synchronized (lane) {
                    waiting += lane.queue.size();
                    // Worth waiting for: a send in flight, or a retry that falls within the bound.
                    // A send in flight to an output that is gone (a closed client) will not be answered in time.
                    busy |= lane.inFlight != null && lane.output.ready() || (!lane.queue.isEmpty() && lane.output.ready()
                            && lane.queue.peekFirst().notBefore.toEpochMilli() - clock.millis()
                                    < (deadline - System.nanoTime()) / 1_000_000);
                }
            }
            long left = deadline - System.nanoTime();
            if (waiting == 0 || !busy || left <= 0) {
                return waiting;
            }
            synchronized (signal) {
                try {
                    if (!woken) {
                        signal.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                    }
                    woken = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return waiting;
                }
            }
        }
    }

    public List<OutputStatistics> statistics() {
        List<OutputStatistics> all = new ArrayList<>();
        for (Lane lane : lanes) {
            synchronized (lane) {
                all.add(new OutputStatistics(lane.output.name(), lane.sent, lane.failed, lane.dropped,
                        lane.queue.size()));
            }
        }
        return all;
    }

    /** One output's state beside its counts (for status and the exit's report). */
    public record LaneState(String output, long waitingBytes, boolean onDisk, String waitsFor, long sentByOthers) {
    }

    public List<LaneState> lanes() {
        List<LaneState> all = new ArrayList<>();
        for (Lane lane : lanes) {
            synchronized (lane) {
                all.add(new LaneState(lane.output.name(), lane.bytes, lane.spool != null, lane.output.describe(),
                        lane.handedOver));
            }
        }
        return all;
    }

    public void start() {
        running = true;
        thread = AgentThreads.start("outbox", this::run);
    }

    public void stop() {
        running = false;
        wake();
    }

    private void run() {
        while (running) {
            Instant[] next = new Instant[1];
            failures.contain("outbox", () -> next[0] = pump());
            long wait = next[0] == null ? IDLE_WAIT_MS : Duration.between(clock.instant(), next[0]).toMillis();
            synchronized (signal) {
                if (running && wait > 0 && !woken) {
                    try {
                        signal.wait(Math.min(wait, IDLE_WAIT_MS * 60));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** A spool may be armed now (the first IoT Hub client was seen): looked at on the next turn, not in 5 s. */
    public void recheckSpools() {
        for (Lane lane : lanes) {
            // No lane lock: this runs inside the IoT Hub output's, which the outbox's thread takes inside a lane's.
            // The outbox's thread sees the change through wake's lock.
            lane.nextSpoolCheck = Instant.MIN;
        }
        wake();
    }

    /** Called by outputs that became ready (a client was seen) and by completed sends. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void expire(Lane lane, Instant now) {
        while (!lane.queue.isEmpty() && lane.queue.peekFirst() != lane.inFlight
                && !lane.queue.peekFirst().created.plus(timeout).isAfter(now)) {
            if (lane.drop(lane.queue.pollFirst())) {
                lane.warnOnce(log, "timeout", "a message for " + lane.output.name() + " waited longer than "
                    + "IothubModule_MessageTimeout (" + timeout + "): dropped; further drops are counted");
            }
        }
    }

    private void send(Lane lane, Pending pending) {
        CompletableFuture<Void> sent;
        try {
            sent = lane.output.send(pending.message);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            synchronized (lane) {
                lane.inFlight = null;
                if (error == null) {
                    lane.sent++;
                    if (lane.queue.remove(pending)) {
                        lane.bytes -= pending.message.length;
                        lane.forget(pending);
                    }
                } else {
                    lane.failed++;
                    pending.attempts++;
                    pending.notBefore = clock.instant().plus(backoff(pending.attempts));
                    lane.warnOnce(log, "send", "sending to " + lane.output.name() + " failed (" + error
                            + "); the message stays and is retried with backoff");
                }
            }
            wake();
        });
    }

    static Duration backoff(int attempts) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static final class Pending {
        final byte[] message;
        final Instant created;
        Path file;
        int attempts;
        Instant notBefore;

        Pending(byte[] message, Instant created) {
            this.message = message;
            this.created = created;
            this.notBefore = created;
        }
    }

    private static final class Lane {
        final Output output;
        Spooling spooling;
        Spool spool;
        /** The files of the messages queued here (so a scan of the spool does not queue them twice). */
        final java.util.Set<Path> known = new java.util.HashSet<>();
        Instant nextSpoolCheck = Instant.MIN;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        final java.util.Set<String> warned = new java.util.HashSet<>();
        long bytes;
        Pending inFlight;
        long sent;
        long failed;
        long dropped;
        /** Messages of this queue that another agent of the state directory claimed and sent. */
        long handedOver;

        Lane(Output output) {
            this.output = output;
        }

        /** Queues a message found on disk. */
        void adopt(Spool.Stored stored) {
            Pending p = new Pending(stored.message(), stored.created());
            p.file = stored.file();
            known.add(p.file);
            queue.addLast(p);
            bytes += p.message.length;
        }

        /**
         * Makes the message this JVM's before it is sent or dropped. False when it cannot be sent now: another agent
         * took it (it leaves the queue) or the spool refused the move (tried again later).
         */
        boolean claim(Pending p, Instant now, AgentLog log) {
            if (spool == null || p.file == null || spool.owns(p.file)) {
                return true;
            }
            try {
                Path claimed = spool.claim(p.file);
                known.remove(p.file);
                if (claimed == null) {
                    queue.remove(p);
                    handedOver(p);
                    return false;
                }
                p.file = claimed;
                known.add(claimed);
                return true;
            } catch (IOException e) {
                p.notBefore = now.plus(SPOOL_CHECK); // not again in this pump
                warnOnce(log, "claim", "cannot claim an unsent message for " + output.name() + " in the spool ("
                        + e.getMessage() + "); tried again later");
                return false;
            }
        }

        void handedOver(Pending p) {
            bytes -= p.message.length;
            known.remove(p.file);
            handedOver++;
        }

        /** Drops the oldest message not being sent; false when there is none. */
        boolean dropOldestWaiting() {
            for (Pending p : queue) {
                if (p != inFlight) {
                    queue.remove(p);
                    drop(p);
                    return true;
                }
            }
            return false;
        }

        /** Drops a message from this queue; false when another agent had already taken it (not this agent's drop). */
        boolean drop(Pending p) {
            if (spool != null && p.file != null && !spool.owns(p.file)) {
                try {
                    Path claimed = spool.claim(p.file);
                    if (claimed == null) {
                        handedOver(p);
                        return false;
                    }
                    known.remove(p.file);
                    p.file = claimed;
                } catch (IOException e) {
                    // dropped from this queue; the file stays for another agent
                }
            }
            bytes -= p.message.length;
            dropped++;
            forget(p);
            return true;
        }

        void keep(Pending p, AgentLog log) {
            if (spool != null) {
                try {
                    p.file = spool.write(p.message, p.created, output.ready());
                    known.add(p.file);
                } catch (IOException e) {
                    warnOnce(log, "spool", "cannot write an unsent message for " + output.name() + " to disk ("
                            + e.getMessage() + "): it is kept in memory only");
                }
            }
        }

        void forget(Pending p) {
            if (spool != null && p.file != null) {
                known.remove(p.file);
                if (spool.owns(p.file)) {
                    spool.delete(p.file);
                }
            }
        }

        void warnOnce(AgentLog log, String kind, String message) {
            if (warned.add(kind)) {
                log.warning(message);
            }
        }
    }
}
