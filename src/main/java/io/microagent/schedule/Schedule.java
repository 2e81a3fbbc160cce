package io.microagent.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * When each priority group's window closes. All groups count from one anchor, a random offset after start
 * (below the shortest interval) so a fleet of devices does not send in step, and so groups whose intervals
 * are multiples of each other close together and share messages. Pure: time is passed in.
 */
public final class Schedule {
    private final Map<Priority, Duration> intervals = new EnumMap<>(Priority.class);
    private final Map<Priority, Instant> due = new EnumMap<>(Priority.class);
    private final Map<Priority, Instant> closed = new EnumMap<>(Priority.class);

    /** @param intervals High, Medium, Low */
    public Schedule(List<Duration> intervals, Instant start, RandomGenerator random) {
        Duration shortest = intervals.stream().min(Duration::compareTo).orElseThrow();
        Instant anchor = start.plusMillis(random.nextLong(Math.max(1, shortest.toMillis())));
        for (Priority p : Priority.values()) {
            this.intervals.put(p, intervals.get(p.ordinal()));
            due.put(p, anchor);
        }
    }

    public Duration interval(Priority p) {
        return intervals.get(p);
    }

    /** When {@code p}'s window closes next. */
    public synchronized Instant nextDue(Priority p) {
        return due.get(p);
    }

    /** When {@code p}'s window last closed; null before the first close. */
    public synchronized Instant lastClosed(Priority p) {
        return closed.get(p);
    }

    public synchronized Instant nextDue() {
        return due.values().stream().min(Instant::compareTo).orElseThrow();
    }

    /**
     * The groups whose window has closed by {@code now}; each moves to its next close after {@code now}.
     * Windows missed while the device slept collapse into this one. A clock set back by more than an
     * interval restarts that group's count from {@code now}.
     */
    public synchronized Set<Priority> dueAt(Instant now) {
        Set<Priority> result = EnumSet.noneOf(Priority.class);
        for (Priority p : Priority.values()) {
            Instant next = due.get(p);
            Duration interval = intervals.get(p);
            if (!next.isAfter(now)) {
                result.add(p);
                closed.put(p, now);
                long missed = Duration.between(next, now).toMillis() / interval.toMillis();
                due.put(p, next.plus(interval.multipliedBy(missed + 1)));
            } else if (Duration.between(now, next).compareTo(interval) > 0) {
                due.put(p, now.plus(interval));
            }
        }
        return result;
    }
}
