package io.microagent.collect.operational;

import io.microagent.collect.Collector;
import io.microagent.event.DropLedger;
import io.microagent.event.DroppedEvents;
import io.microagent.event.SecurityEvent;
import java.time.Instant;
import java.util.List;

/** Reports, per collector, what was collected and dropped since the last report; nothing when nothing dropped. */
public final class DroppedEventsStatistics implements Collector {
    private final DropLedger drops;

    public DroppedEventsStatistics(DropLedger drops) {
        this.drops = drops;
    }

    @Override
    public List<SecurityEvent> flush(Instant now) {
        return collect(now);
    }

    @Override
    public String name() {
        return "DroppedEventsStatistics";
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        List<DroppedEvents> report = drops.drain();
        return report.isEmpty() ? List.of() : List.of(SecurityEvent.operational(name(), windowEnd, report));
    }
}
