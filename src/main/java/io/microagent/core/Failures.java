package io.microagent.core;

import io.microagent.log.AgentLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Contains failures inside the agent: each is counted per place, the first of each kind is logged, and none
 * reaches the application. Every agent thread runs its work through here.
 */
public final class Failures {
    private final AgentLog log;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public Failures(AgentLog log) {
        this.log = log;
    }

    /** Runs {@code work}; a failure is counted under {@code where} and logged the first time it is seen. */
    public void contain(String where, Runnable work) {
        try {
            work.run();
        } catch (Throwable t) {
            record(where, t);
        }
    }

    public void record(String where, Throwable t) {
        String kind = where + ": " + t.getClass().getName();
        if (counts.computeIfAbsent(kind, k -> new AtomicLong()).getAndIncrement() == 0) {
            log.error(where + " failed (logged once, counted from now on): " + t);
        }
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public Map<String, Long> byKind() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
