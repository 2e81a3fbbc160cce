package io.microagent.core;

import io.microagent.collect.Collector;
import io.microagent.event.SecurityEvent;
import java.time.Instant;
import java.util.List;

/**
 * A collector of the host (processes, connections, sign-ins, system information, baseline): it runs only in the
 * agent that holds the {@link HostRole}, so that agents sharing a state directory report each event once.
 * Until then it is in its window's group but gives nothing.
 */
final class HostCollector implements Collector {
    private final Collector collector;
    private final HostRole role;
    private volatile boolean running;

    HostCollector(Collector collector, HostRole role) {
        this.collector = collector;
        this.role = role;
    }

    /** Started by the role, not with the agent. */
    @Override
    public void start() {
    }

    boolean running() {
        return running;
    }

    /** Called once this agent holds the role. */
    void startForTheHost() throws Exception {
        collector.start();
        running = true;
    }

    @Override
    public String name() {
        return collector.name();
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        return running ? collector.collect(windowEnd) : List.of();
    }

    @Override
    public List<SecurityEvent> flush(Instant now) {
        return running ? collector.flush(now) : List.of();
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            collector.stop();
        }
    }

    @Override
    public boolean restoresOnStop() {
        return collector.restoresOnStop();
    }

    @Override
    public String mode() {
        return running ? collector.mode() : role.standby();
    }

    @Override
    public String counters() {
        return running ? collector.counters() : "";
    }
}
