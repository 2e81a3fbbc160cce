package io.microagent.collect.heartbeat;

import io.microagent.collect.Collector;
import io.microagent.event.SecurityEvent;
import java.time.Instant;
import java.util.List;

/** Says the agent is alive: an empty event at each of its group's windows. */
public final class Heartbeat implements Collector {
    @Override
    public String name() {
        return "Heartbeat";
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        return List.of(SecurityEvent.periodic(name(), windowEnd, List.of()));
    }
}
