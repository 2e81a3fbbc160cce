package io.microagent.core;

import io.microagent.collect.Collector;
import io.microagent.config.ConfigSource;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.event.DropLedger;
import io.microagent.event.DroppedEvents;
import io.microagent.event.Timestamps;
import io.microagent.schedule.Priority;
import io.microagent.schedule.Schedule;
import io.microagent.ship.Outbox;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * The agent's status MBean: read-only views of what the agent already counts. Registered once the JVM serves its
 * platform MBean server (the application uses JMX, {@code -Dcom.sun.management.jmxremote}, or {@code status} or a
 * JMX console started the local management agent): making that server costs a device about 3.5 MB of resident memory
 * (the platform MXBeans and the JMX classes), which an agent that nobody asks should not pay.
 */
final class AgentStatus implements AgentStatusMBean {
    /** The class the JVM loads as it makes an MBean server (the platform's among them). */
    static final String SERVER_CLASS = "com/sun/jmx/mbeanserver/JmxMBeanServer";
    private static final String SERVER_CLASS_NAME = SERVER_CLASS.replace('/', '.');
    /** How often to look when the server's class loaded before the agent started (and will not load again). */
    private static final long SERVER_LOOK_MS = 1_000;
    private static final Duration SERVER_WAIT = Duration.ofSeconds(10);
    private static final long SERVER_CHECK_MS = 20;

    static final String NAME = "io.microagent:type=Agent";

    private final String agentId;
    private final String startedBy;
    private final Agent agent;

    AgentStatus(String agentId, String startedBy, Agent agent) {
        this.agentId = agentId;
        this.startedBy = startedBy;
        this.agent = agent;
    }

    /**
     * Registers now if the platform MBean server exists; else when the JVM loads the server's class (a class-file
     * transformer that compares one name and changes nothing), on a short-lived thread that waits for the server to
     * be made. Nothing polls meanwhile.
     */
    void registerWhenServed(Instrumentation instrumentation, Consumer<Throwable> failed) {
        if (served()) {
            register(failed);
            return;
        }
        if (instrumentation == null) {
            return;
        }
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (loaded.getName().equals(SERVER_CLASS_NAME)) { // an MBean server of the application's own, unlisted:
                AgentThreads.start("status", () -> awaitServer(SERVER_LOOK_MS, null, failed));
                return; // its class will not load again, so look for the platform's now and then
            }
        }
        ClassFileTransformer watch = new ClassFileTransformer() {
            private boolean seen;

            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefining,
                    ProtectionDomain domain, byte[] bytes) {
                if (SERVER_CLASS.equals(name)) {
                    synchronized (this) {
                        if (!seen) {
                            seen = true;
                            ClassFileTransformer self = this;
                            AgentThreads.start("status", () -> {
                                instrumentation.removeTransformer(self);
                                awaitServer(SERVER_CHECK_MS, SERVER_WAIT, failed);
                            });
                        }
                    }
                }
                return null;
            }
        };
        instrumentation.addTransformer(watch);
        if (served()) { // made between the first look and the transformer's start
            instrumentation.removeTransformer(watch);
            register(failed);
        }
    }

    /** Waits for the server (for at most {@code bound}, when given), looking every {@code everyMs}, and registers. */
    private void awaitServer(long everyMs, Duration bound, Consumer<Throwable> failed) {
        long deadline = bound == null ? 0 : System.nanoTime() + bound.toNanos();
        try {
            while (!served()) {
                if (bound != null && System.nanoTime() - deadline > 0) {
                    return; // a server of the application's own, not the platform's: nothing to register with
                }
                Thread.sleep(everyMs);
            }
            register(failed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean served() {
        return !MBeanServerFactory.findMBeanServer(null).isEmpty();
    }

    private void register(Consumer<Throwable> failed) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(NAME));
        } catch (Exception e) {
            failed.accept(e);
        }
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
    public String getRole() {
        return agent.role().describe();
    }

    @Override
    public String[] getCollectors() {
        Pipeline pipeline = agent.pipeline();
        Schedule schedule = agent.schedule();
        Map<String, DroppedEvents> totals = agent.drops().totals().stream()
                .collect(Collectors.toMap(DroppedEvents::collector, Function.identity(), (a, b) -> a));
        List<String> lines = new ArrayList<>();
        for (Collector c : pipeline.collectors()) {
            StringBuilder line = new StringBuilder(c.name());
            if (!c.mode().isEmpty()) {
                line.append(": ").append(c.mode());
            }
            // What a collector observed (executions, connections) where it counts them; else the events it gave.
            DroppedEvents counted = totals.get(c.name());
            line.append("; collected ").append(counted != null ? counted.collectedEvents() : pipeline.eventsOf(c))
                    .append(", dropped ").append(counted != null ? counted.droppedEvents() : 0);
            Priority group = pipeline.priorityOf(c);
            if (group != null) {
                Instant last = schedule.lastClosed(group);
                line.append("; ").append(group.text()).append(" window: last closed ")
                        .append(last == null ? "not yet" : Timestamps.utc(last)).append(", next due ")
                        .append(Timestamps.utc(schedule.nextDue(group)));
            }
            if (!c.counters().isEmpty()) {
                line.append(" (").append(c.counters()).append(')');
            }
            lines.add(line.toString());
        }
        return lines.toArray(String[]::new);
    }

    @Override
    public String[] getOutputs() {
        Outbox outbox = agent.outbox();
        Map<String, Outbox.LaneState> lanes = outbox.lanes().stream()
                .collect(Collectors.toMap(Outbox.LaneState::output, Function.identity()));
        return outbox.statistics().stream().map(s -> {
            Outbox.LaneState lane = lanes.get(s.output());
            return s.output() + ": sent " + s.sent() + ", failed attempts " + s.failed() + ", dropped " + s.dropped()
                    + ", waiting " + s.pending() + " (" + (lane == null ? 0 : lane.waitingBytes()) + " bytes)"
                    + (lane == null || lane.sentByOthers() == 0 ? ""
                            : ", " + lane.sentByOthers() + " sent by another agent of this state directory")
                    + (lane == null || lane.waitsFor().isEmpty() ? "" : "; " + lane.waitsFor());
        }).toArray(String[]::new);
    }

    @Override
    public String[] getDroppedEvents() {
        return agent.drops().totals().stream()
                .map(d -> d.collector() + ": collected " + d.collectedEvents() + ", dropped " + d.droppedEvents())
                .toArray(String[]::new);
    }

    @Override
    public String[] getFailures() {
        return agent.failures().byKind().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .toArray(String[]::new);
    }

    /** Keys set by a source other than the defaults, with that source; then how many keys are defaults. */
    @Override
    public String[] getConfiguration() {
        Map<String, String> set = new TreeMap<>();
        int defaults = 0;
        for (var setting : Settings.all()) {
            ConfigSource source = agent.configuration().source(setting);
            if (source == null || source.kind() == ConfigSource.Kind.DEFAULT) {
                defaults++;
            } else {
                set.put(setting.key(), source.toString());
            }
        }
        List<String> lines = new ArrayList<>();
        set.forEach((key, source) -> lines.add(key + " from " + source));
        lines.add(defaults + " other key(s) at their defaults");
        return lines.toArray(String[]::new);
    }
}
