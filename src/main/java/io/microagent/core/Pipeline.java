package io.microagent.core;

import io.microagent.collect.Collector;
import io.microagent.event.SecurityEvent;
import io.microagent.schedule.Priority;
import io.microagent.ship.MessageBuilder;
import io.microagent.ship.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * What happens when windows close: the collectors of the due groups give their events, the builder packs
 * them into messages (groups closing together share messages), and the outbox takes them.
 */
public final class Pipeline {
    private final Map<Priority, List<Collector>> groups = new EnumMap<>(Priority.class);
    private final Map<Priority, List<Collector>> reports = new EnumMap<>(Priority.class);
    private final MessageBuilder builder;
    private final Outbox outbox;
    private final Failures failures;
    // Window closes (the scheduler's thread) and flushes (shutdown, a client closing) take collectors' events in turn.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Long> shipped = new java.util.concurrent.ConcurrentHashMap<>();

    public Pipeline(MessageBuilder builder, Outbox outbox, Failures failures) {
        this.builder = builder;
        this.outbox = outbox;
        this.failures = failures;
        for (Priority p : Priority.values()) {
            groups.put(p, new ArrayList<>());
            reports.put(p, new ArrayList<>());
        }
    }

    public void add(Collector collector, Priority priority) {
        groups.get(priority).add(collector);
    }

    /**
     * Adds a collector that reports on the agent itself (drops, message counts): at a window close it is asked
     * after every other collector of the due groups, so it counts what they did in that window.
     */
    public void addReport(Collector report, Priority priority) {
        reports.get(priority).add(report);
    }

    public List<Collector> collectors() {
        List<Collector> all = new ArrayList<>();
        groups.values().forEach(all::addAll);
        reports.values().forEach(all::addAll);
        return all;
    }

    /** Events a collector has handed over since start (for status). */
    public long eventsOf(Collector collector) {
        return shipped.getOrDefault(collector.name(), 0L);
    }

    /** The priority group a collector or report belongs to. */
    public Priority priorityOf(Collector collector) {
        for (Map<Priority, List<Collector>> stage : List.of(groups, reports)) {
            for (Map.Entry<Priority, List<Collector>> group : stage.entrySet()) {
                if (group.getValue().contains(collector)) {
                    return group.getKey();
                }
            }
        }
        return null;
    }

    public void windowsClosed(Set<Priority> due, Instant now) {
        lock.lock();
        try {
            ship(due, now, Collector::collect);
        } finally {
            lock.unlock();
        }
    }

    /** At shutdown: every collector's pending events, whatever its group. */
    public void flush(Instant now) {
        lock.lock();
        try {
            ship(EnumSet.allOf(Priority.class), now, Collector::flush);
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #flush(Instant)}, on a thread that must not wait long (the application's, closing its client):
     * false when a window close under way did not end within {@code wait}.
     */
    public boolean flush(Instant now, Duration wait) throws InterruptedException {
        if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            ship(EnumSet.allOf(Priority.class), now, Collector::flush);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void ship(Set<Priority> due, Instant now, BiFunction<Collector, Instant, List<SecurityEvent>> take) {
        List<SecurityEvent> events = new ArrayList<>();
        for (Map<Priority, List<Collector>> stage : List.of(groups, reports)) {
            for (Priority p : due) {
                for (Collector c : stage.get(p)) {
                    failures.contain(c.name() + " collector", () -> {
                        List<SecurityEvent> taken = take.apply(c, now);
                        shipped.merge(c.name(), (long) taken.size(), Long::sum);
                        events.addAll(taken);
                    });
                }
            }
        }
        if (!events.isEmpty()) {
            outbox.offer(builder.build(events));
        }
    }
}
