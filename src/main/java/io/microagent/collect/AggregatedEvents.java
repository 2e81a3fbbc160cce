package io.microagent.collect;

import io.microagent.aggregate.Aggregate;
import io.microagent.aggregate.Aggregator;
import io.microagent.aggregate.ClosedWindow;
import io.microagent.event.Category;
import io.microagent.event.DropLedger;
import io.microagent.event.EventType;
import io.microagent.event.SecurityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The window side of an event collector: sources push events in with {@link #accept}; at window close the
 * aggregates become one {@code Aggregated} event whose payloads carry hit counts and sums, and the window's
 * counts go to the drop ledger. An empty window sends nothing.
 */
public final class AggregatedEvents<E> {
    private final String name;
    private final Aggregator<E> aggregator;
    private final Function<Aggregate<E>, ?> payload;
    private final DropLedger drops;
    private long reportedOverflows;

    /** @param payload turns an aggregate into its payload record (first event + hit count + sums) */
    public AggregatedEvents(String name, Aggregator<E> aggregator, Function<Aggregate<E>, ?> payload,
            DropLedger drops) {
        this.name = name;
        this.aggregator = aggregator;
        this.payload = payload;
        this.drops = drops;
    }

    public void accept(E event) {
        aggregator.add(event);
    }

    /** An event that counts {@code hits} times; 0 adds to an entry's sums alone. */
    public void accept(E event, long hits) {
        aggregator.add(event, hits);
    }

    /**
     * The source's count of kernel buffer overflows since it started: those since the last call are recorded as
     * drops (the kernel does not say how many events it dropped: each overflow counts as at least one).
     */
    public void overflows(long total) {
        if (total > reportedOverflows) {
            drops.record(name, 0, total - reportedOverflows);
            reportedOverflows = total;
        }
    }

    public List<SecurityEvent> close(Instant windowEnd) {
        ClosedWindow<E> window = aggregator.close();
        if (window.collected() > 0 || window.dropped() > 0) {
            drops.record(name, window.collected(), window.dropped());
        }
        if (window.entries().isEmpty()) {
            return List.of();
        }
        List<Object> payloads = new ArrayList<>(window.entries().size());
        for (Aggregate<E> entry : window.entries()) {
            payloads.add(payload.apply(entry));
        }
        return List.of(new SecurityEvent(EventType.SECURITY, Category.AGGREGATED, name, windowEnd, payloads));
    }
}
