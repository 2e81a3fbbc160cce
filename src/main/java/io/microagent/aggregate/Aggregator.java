package io.microagent.aggregate;

import io.microagent.log.AgentLog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.ToLongFunction;

/**
 * The one aggregation table: bounded, insertion-ordered, identity to aggregate. A full table drops the oldest
 * entry or refuses the new one (per policy), counts every event so lost, and warns once per window naming
 * the key that raises its size.
 */
public final class Aggregator<E> {
    private final String collector;
    private final String cacheSizeKey;
    private final int capacity;
    private final OverflowPolicy policy;
    private final Identity<E> identity;
    private final ToLongFunction<? super E>[] counters;
    private final AgentLog log;
    private final LinkedHashMap<Aggregate<E>, Aggregate<E>> table = new LinkedHashMap<>();
    private final Aggregate.Probe<E> probe = new Aggregate.Probe<>();
    private long collected;
    private long dropped;
    private boolean warned;

    /**
     * @param counters values summed per identity over the window, read back with {@link Aggregate#sum(int)} in
     *                 this order
     */
    @SafeVarargs
    public Aggregator(String collector, String cacheSizeKey, int capacity, OverflowPolicy policy,
            Identity<E> identity, AgentLog log, ToLongFunction<? super E>... counters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.collector = collector;
        this.cacheSizeKey = cacheSizeKey;
        this.capacity = capacity;
        this.policy = policy;
        this.identity = identity;
        this.log = log;
        this.counters = counters.clone();
        this.probe.identity = identity;
    }

    public void add(E event) {
        add(event, 1);
    }

    /**
     * Adds an event that counts {@code hits} times (0 for an update of an entry's sums alone, such as more bytes
     * of a connection counted in an earlier window).
     */
    public synchronized void add(E event, long hits) {
        collected += hits;
        probe.event = event;
        probe.hash = identity.hash(event);
        Aggregate<E> hit = table.get(probe);
        probe.event = null;
        if (hit != null) {
            count(hit, event, hits);
            return;
        }
        if (table.size() >= capacity) {
            if (policy == OverflowPolicy.REFUSE_NEW) {
                dropped += hits;
                warnFull("the new event was not kept");
                return;
            }
            Iterator<Aggregate<E>> oldest = table.keySet().iterator();
            dropped += oldest.next().hits;
            oldest.remove();
            warnFull("the oldest entry was dropped");
        }
        Aggregate<E> entry = new Aggregate<>(event, probe.hash, identity, counters.length);
        count(entry, event, hits);
        table.put(entry, entry);
    }

    /** Ends the window: returns its entries and counts and starts an empty one. */
    public synchronized ClosedWindow<E> close() {
        ClosedWindow<E> window = new ClosedWindow<>(new ArrayList<>(table.keySet()), collected, dropped);
        table.clear();
        collected = 0;
        dropped = 0;
        warned = false;
        return window;
    }

    public synchronized int size() {
        return table.size();
    }

    public int capacity() {
        return capacity;
    }

    private void count(Aggregate<E> entry, E event, long hits) {
        entry.hits += hits;
        long[] sums = entry.sums;
        for (int i = 0; i < sums.length; i++) {
            sums[i] += counters[i].applyAsLong(event);
        }
    }

    private void warnFull(String what) {
        if (!warned) {
            warned = true;
            log.warning(collector + " cache is full (" + capacity + " distinct events in this window): " + what
                    + "; raise " + cacheSizeKey + " to keep more. Further drops in this window are counted, not logged");
        }
    }
}
