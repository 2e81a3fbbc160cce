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
     * @param spools a directory per output whose unsent messages must survive a restart (the IoT Hub output);
     *               what an earlier run left there is queued first
     */
    public Outbox(List<Output> outputs, Map<Output, Path> spools, long maxBytes, Duration timeout, Clock clock,
            AgentLog log, Failures failures) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.clock = clock;
        this.log = log;
        this.failures = failures;
        for (Output o : outputs) {
            Lane lane = new Lane(o);
            lanes.add(lane);
            Path dir = spools.get(o);
            if (dir != null) {
                try {
                    lane.spool = new Spool(dir);
                    long[] unreadable = {0};
                    for (Spool.Stored stored : lane.spool.load(unreadable)) {
                        Pending p = new Pending(stored.message(), stored.created());
                        p.file = stored.file();
                        lane.queue.addLast(p);
                        lane.bytes += p.message.length;
                    }
                    lane.dropped += unreadable[0];
                    if (!lane.queue.isEmpty()) {
                        log.info(lane.queue.size() + " unsent message(s) for " + o.name() + " from an earlier run are"
                                + " queued again");
                    }
                } catch (IOException e) {
                    log.warning("cannot keep unsent messages for " + o.name() + " on disk (" + e.getMessage()
                            + "): they are kept in memory only");
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
                    expire(lane, now);
                    Pending head = lane.queue.peekFirst();
                    if (head != null && lane.inFlight == null) {
                        if (!lane.output.ready()) {
                            next = min(next, now.plusMillis(IDLE_WAIT_MS));
                        } else if (head.notBefore.isAfter(now)) {
                            next = min(next, head.notBefore);
                        } else {
                            lane.inFlight = head;
                            toSend = head;
                        }
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

    /**
     * From now on keeps {@code output}'s unsent messages on disk in {@code directory}, those waiting included (the
     * IoT Hub output once a client has been seen: before that a restart has nothing to send them through).
     */
    public void spoolTo(Output output, Path directory) {
        for (Lane lane : lanes) {
            if (lane.output != output) {
                continue;
            }
            synchronized (lane) {
                if (lane.spool != null) {
                    return;
                }
                try {
                    lane.spool = new Spool(directory);
                    lane.queue.forEach(p -> lane.keep(p, log));
                } catch (IOException e) {
                    log.warning("cannot keep unsent messages for " + output.name() + " on disk (" + e.getMessage()
                            + "): they are kept in memory only");
                }
            }
        }
    }

    /** One output's state beside its counts (for status and the exit's report). */
    public record LaneState(String output, long waitingBytes, boolean onDisk, String waitsFor) {
    }

    public List<LaneState> lanes() {
        List<LaneState> all = new ArrayList<>();
        for (Lane lane : lanes) {
            synchronized (lane) {
                all.add(new LaneState(lane.output.name(), lane.bytes, lane.spool != null, lane.output.describe()));
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
            lane.drop(lane.queue.pollFirst());
            lane.warnOnce(log, "timeout", "a message for " + lane.output.name() + " waited longer than "
                    + "IothubModule_MessageTimeout (" + timeout + "): dropped; further drops are counted");
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
        Spool spool;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        final java.util.Set<String> warned = new java.util.HashSet<>();
        long bytes;
        Pending inFlight;
        long sent;
        long failed;
        long dropped;

        Lane(Output output) {
            this.output = output;
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

        void drop(Pending p) {
            bytes -= p.message.length;
            dropped++;
            forget(p);
        }

        void keep(Pending p, AgentLog log) {
            if (spool != null) {
                try {
                    p.file = spool.write(p.message, p.created);
                } catch (IOException e) {
                    warnOnce(log, "spool", "cannot write an unsent message for " + output.name() + " to disk ("
                            + e.getMessage() + "): it is kept in memory only");
                }
            }
        }

        void forget(Pending p) {
            if (spool != null) {
                spool.delete(p.file);
            }
        }

        void warnOnce(AgentLog log, String kind, String message) {
            if (warned.add(kind)) {
                log.warning(message);
            }
        }
    }
}
