package io.microagent.core;

import io.microagent.collect.Collector;
import io.microagent.event.DropLedger;
import io.microagent.ship.Outbox;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;
import javax.management.ObjectName;

/** The agent's status MBean: read-only views of what the agent already counts. */
final class AgentStatus implements AgentStatusMBean {
    static final String NAME = "io.microagent:type=Agent";

    private final String agentId;
    private final String startedBy;
    private final Supplier<List<Collector>> collectors;
    private final Outbox outbox;
    private final DropLedger drops;
    private final Failures failures;

    AgentStatus(String agentId, String startedBy, Supplier<List<Collector>> collectors, Outbox outbox,
            DropLedger drops, Failures failures) {
        this.agentId = agentId;
        this.startedBy = startedBy;
        this.collectors = collectors;
        this.outbox = outbox;
        this.drops = drops;
        this.failures = failures;
    }

    void register() throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(NAME));
    }

    @Override
    public String getVersion() {
        return AgentVersion.get();
    }

    @Override
    public String getAgentId() {
        return agentId;
    }

    @Override
    public String getStartedBy() {
        return startedBy;
    }

    @Override
    public String[] getCollectors() {
        return collectors.get().stream()
                .map(c -> c.name() + (c.mode().isEmpty() ? "" : ": " + c.mode()) + (c.counters().isEmpty() ? ""
                        : " (" + c.counters() + ")"))
                .toArray(String[]::new);
    }

    @Override
    public String[] getOutputs() {
        return outbox.statistics().stream()
                .map(s -> s.output() + ": sent " + s.sent() + ", failed attempts " + s.failed() + ", dropped "
                        + s.dropped() + ", waiting " + s.pending())
                .toArray(String[]::new);
    }

    @Override
    public String[] getDroppedEvents() {
        return drops.totals().stream()
                .map(d -> d.collector() + ": collected " + d.collectedEvents() + ", dropped " + d.droppedEvents())
                .toArray(String[]::new);
    }

    @Override
    public String[] getFailures() {
        return failures.byKind().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .toArray(String[]::new);
    }
}
