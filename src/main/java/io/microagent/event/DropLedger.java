package io.microagent.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each collector collected and dropped since the last report. Everything the agent drops before a
 * message is built is entered here and reported in a {@code DroppedEventsStatistics} event.
 */
public final class DropLedger {
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    public synchronized void record(String collector, long collected, long dropped) {
        add(counts, collector, collected, dropped);
        add(totals, collector, collected, dropped);
    }

    /** Collectors that dropped anything since the last call, and the counts; the counts start again. */
    public synchronized List<DroppedEvents> drain() {
        List<DroppedEvents> report = new ArrayList<>();
        counts.forEach((collector, c) -> {
            if (c[1] > 0) {
                report.add(new DroppedEvents(collector, c[0], c[1]));
            }
        });
        counts.clear();
        return report;
    }

    /** Counts since the agent started, for status. */
    public synchronized List<DroppedEvents> totals() {
        List<DroppedEvents> all = new ArrayList<>();
        totals.forEach((collector, c) -> all.add(new DroppedEvents(collector, c[0], c[1])));
        return all;
    }

    private static void add(Map<String, long[]> map, String collector, long collected, long dropped) {
        long[] c = map.computeIfAbsent(collector, k -> new long[2]);
        c[0] += collected;
        c[1] += dropped;
    }
}
