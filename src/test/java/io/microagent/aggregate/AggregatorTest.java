package io.microagent.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.testing.CapturedLog;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class AggregatorTest {
    /** A connection-like event: identity is the endpoint, bytes are summed. */
    record Seen(String endpoint, int uid, long bytesIn, long bytesOut, long time) {
    }

    static final Identity<Seen> BY_ENDPOINT_AND_UID = new Identity<>() {
        @Override
        public int hash(Seen e) {
            return Objects.hash(e.endpoint(), e.uid());
        }

        @Override
        public boolean same(Seen a, Seen b) {
            return a.endpoint().equals(b.endpoint()) && a.uid() == b.uid();
        }
    };

    final CapturedLog log = new CapturedLog();

    Aggregator<Seen> aggregator(int capacity, OverflowPolicy policy) {
        return new Aggregator<>("ConnectionCreate", "NetworkActivity_CacheSize", capacity, policy, BY_ENDPOINT_AND_UID,
                log.log(), Seen::bytesIn, Seen::bytesOut);
    }

    @Test
    void identicalEventsBecomeOneEntryWithHitCountSumsAndTheFirstTimestamp() {
        Aggregator<Seen> a = aggregator(8, OverflowPolicy.DROP_OLDEST);
        a.add(new Seen("10.0.0.1:443", 0, 100, 10, 1));
        a.add(new Seen("10.0.0.2:443", 0, 5, 5, 2));
        a.add(new Seen("10.0.0.1:443", 0, 200, 20, 3));
        a.add(new Seen("10.0.0.1:443", 1000, 1, 1, 4));
        a.add(new Seen("10.0.0.1:443", 0, 300, 30, 5));
        ClosedWindow<Seen> w = a.close();
        assertEquals(5, w.collected());
        assertEquals(0, w.dropped());
        assertEquals(3, w.entries().size());
        Aggregate<Seen> first = w.entries().get(0);
        assertEquals(1, first.first().time(), "the first observation is kept");
        assertEquals(3, first.hitCount());
        assertEquals(600, first.sum(0));
        assertEquals(60, first.sum(1));
        assertEquals("10.0.0.2:443", w.entries().get(1).first().endpoint(), "insertion order");
        assertEquals(1000, w.entries().get(2).first().uid());
        assertEquals(1, w.entries().get(2).hitCount());
    }

    @Test
    void closingStartsAnEmptyWindow() {
        Aggregator<Seen> a = aggregator(8, OverflowPolicy.DROP_OLDEST);
        a.add(new Seen("x", 0, 1, 1, 1));
        a.close();
        assertEquals(0, a.size());
        a.add(new Seen("x", 0, 1, 1, 2));
        ClosedWindow<Seen> w = a.close();
        assertEquals(1, w.collected());
        assertEquals(1, w.entries().get(0).hitCount());
        assertEquals(2, w.entries().get(0).first().time());
    }

    @Test
    void aFullTableDropsTheOldestCountsWhatItHeldAndWarnsOncePerWindow() {
        Aggregator<Seen> a = aggregator(3, OverflowPolicy.DROP_OLDEST);
        a.add(new Seen("a", 0, 0, 0, 1));
        a.add(new Seen("a", 0, 0, 0, 2));
        a.add(new Seen("b", 0, 0, 0, 3));
        a.add(new Seen("c", 0, 0, 0, 4));
        a.add(new Seen("d", 0, 0, 0, 5)); // evicts a (2 events)
        a.add(new Seen("b", 0, 0, 0, 6)); // a hit: no eviction
        a.add(new Seen("e", 0, 0, 0, 7)); // evicts b (2 events)
        ClosedWindow<Seen> w = a.close();
        assertEquals(List.of("c", "d", "e"), w.entries().stream().map(e -> e.first().endpoint()).toList());
        assertEquals(7, w.collected());
        assertEquals(4, w.dropped());
        List<String> warnings = log.lines();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("raise NetworkActivity_CacheSize"), warnings.get(0));
        assertTrue(warnings.get(0).startsWith("[iot-micro-agent] warning: ConnectionCreate cache is full (3"));

        a.add(new Seen("f", 0, 0, 0, 8));
        a.add(new Seen("g", 0, 0, 0, 9));
        a.add(new Seen("h", 0, 0, 0, 10));
        a.add(new Seen("i", 0, 0, 0, 11));
        assertEquals(2, log.lines().size(), "a new window warns again");
        assertEquals(1, a.close().dropped());
    }

    @Test
    void refuseNewKeepsTheOldEntriesAndCountsTheRefused() {
        Aggregator<Seen> a = aggregator(2, OverflowPolicy.REFUSE_NEW);
        a.add(new Seen("a", 0, 0, 0, 1));
        a.add(new Seen("b", 0, 0, 0, 2));
        a.add(new Seen("c", 0, 0, 0, 3));
        a.add(new Seen("a", 0, 0, 0, 4)); // still counted: a is known
        a.add(new Seen("d", 0, 0, 0, 5));
        ClosedWindow<Seen> w = a.close();
        assertEquals(List.of("a", "b"), w.entries().stream().map(e -> e.first().endpoint()).toList());
        assertEquals(2, w.entries().get(0).hitCount());
        assertEquals(2, w.dropped());
        assertEquals(5, w.collected());
        assertEquals(1, log.lines().size());
    }

    @Test
    void concurrentProducersLoseNoCount() throws InterruptedException {
        Aggregator<Seen> a = aggregator(16, OverflowPolicy.DROP_OLDEST);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    a.add(new Seen("e" + (i % 8), id % 2, 1, 2, i));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        ClosedWindow<Seen> w = a.close();
        assertEquals(40_000, w.collected());
        assertEquals(16, w.entries().size());
        assertEquals(40_000, w.entries().stream().mapToLong(Aggregate::hitCount).sum());
        assertEquals(40_000, w.entries().stream().mapToLong(e -> e.sum(0)).sum());
    }
}
