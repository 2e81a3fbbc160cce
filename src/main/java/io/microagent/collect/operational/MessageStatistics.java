package io.microagent.collect.operational;

import io.microagent.collect.Collector;
import io.microagent.event.SecurityEvent;
import io.microagent.ship.OutputStatistics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Per output: messages sent, failed attempts and messages dropped since the last report, and how many wait. */
public final class MessageStatistics implements Collector {
    private final Supplier<List<OutputStatistics>> source;
    private final Map<String, OutputStatistics> reported = new HashMap<>();

    public MessageStatistics(Supplier<List<OutputStatistics>> source) {
        this.source = source;
    }

    @Override
    public List<SecurityEvent> flush(Instant now) {
        return collect(now);
    }

    @Override
    public String name() {
        return "MessageStatistics";
    }

    @Override
    public synchronized List<SecurityEvent> collect(Instant windowEnd) {
        List<OutputStatistics> payload = new ArrayList<>();
        for (OutputStatistics now : source.get()) {
            payload.add(now.since(reported.put(now.output(), now)));
        }
        return payload.isEmpty() ? List.of() : List.of(SecurityEvent.operational(name(), windowEnd, payload));
    }
}
