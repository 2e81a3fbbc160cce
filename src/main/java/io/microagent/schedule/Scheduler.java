package io.microagent.schedule;

import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The thread that owns time: it sleeps until the next window closes and hands the due groups over. It wakes at
 * least every {@link #MAX_SLEEP_MS}, and runs the {@code tick} at every wake.
 */
public final class Scheduler {
    private static final long MAX_SLEEP_MS = 20_000;

    private final Schedule schedule;
    private final Clock clock;
    private final BiConsumer<Set<Priority>, Instant> onClose;
    private final Runnable tick;
    private final Failures failures;
    private final Object lock = new Object();
    private volatile boolean running;
    private Thread thread;

    public Scheduler(Schedule schedule, Clock clock, BiConsumer<Set<Priority>, Instant> onClose, Runnable tick,
            Failures failures) {
        this.schedule = schedule;
        this.clock = clock;
        this.onClose = onClose;
        this.tick = tick;
        this.failures = failures;
    }

    public void start() {
        running = true;
        thread = AgentThreads.start("scheduler", this::run);
    }

    /** Closes every window that is due now; the thread calls this, and so can a test with its own clock. */
    public void runDue() {
        Instant now = clock.instant();
        Set<Priority> due = schedule.dueAt(now);
        if (!due.isEmpty()) {
            failures.contain("closing windows", () -> onClose.accept(due, now));
        }
    }

    public void stop(Duration bound) {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        AgentThreads.join(thread, bound);
    }

    private void run() {
        while (running) {
            runDue();
            failures.contain("scheduler tick", tick::run);
            long wait = Duration.between(clock.instant(), schedule.nextDue()).toMillis();
            synchronized (lock) {
                if (running && wait > 0) {
                    try {
                        // Bounded so a clock that jumps is noticed soon.
                        lock.wait(Math.min(wait, MAX_SLEEP_MS));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
