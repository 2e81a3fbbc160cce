package io.microagent.core;

import io.microagent.collect.Collector;
import io.microagent.collect.heartbeat.Heartbeat;
import io.microagent.collect.baseline.BaselineCollector;
import io.microagent.collect.login.LoginCollector;
import io.microagent.collect.network.ConnectionCollector;
import io.microagent.collect.process.ProcessCreateCollector;
import io.microagent.collect.sbom.JarInventory;
import io.microagent.collect.sbom.SbomCollector;
import io.microagent.collect.system.InterfaceAddresses;
import io.microagent.collect.system.SystemInformationCollector;
import io.microagent.linux.HostPaths;
import io.microagent.collect.operational.ConfigurationErrors;
import io.microagent.collect.operational.DroppedEventsStatistics;
import io.microagent.collect.operational.MessageStatistics;
import io.microagent.config.CollectorKeys;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.event.DropLedger;
import io.microagent.log.AgentLog;
import io.microagent.bridge.ClientRegistry;
import io.microagent.output.FileOutput;
import io.microagent.output.IotHubOutputMode;
import io.microagent.output.iothub.ClientCapture;
import io.microagent.output.iothub.IotHubOutput;
import io.microagent.output.Output;
import io.microagent.output.StdoutOutput;
import io.microagent.schedule.Priority;
import io.microagent.schedule.Schedule;
import io.microagent.schedule.Scheduler;
import io.microagent.ship.MessageBuilder;
import io.microagent.ship.Outbox;
import java.lang.instrument.Instrumentation;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent inside its own class loader: reads the configuration, builds the pipeline of
 * ../shared/design.md (collectors, aggregation, scheduler, message builder, outbox, outputs) and runs it until
 * the JVM exits.
 */
public final class Agent {
    /** Same name as {@code AgentEntry.RUNNING_PROPERTY}; the entry is not visible from this loader. */
    static final String RUNNING_PROPERTY = "io.microagent.running";
    static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(2);

    private static Agent current;

    private final Configuration config;
    private final AgentLog log;
    private final Failures failures;
    private final Clock clock;
    private final DropLedger drops = new DropLedger();
    private final AgentState state;
    private final Outbox outbox;
    private final Pipeline pipeline;
    private final Schedule schedule;
    private final Scheduler scheduler;

    Agent(Configuration config, AgentLog log, Clock clock, Map<String, String> environment,
            Instrumentation instrumentation) {
        this.config = config;
        this.log = log;
        this.clock = clock;
        this.failures = new Failures(log);
        this.state = AgentState.open(config.get(Settings.STATE_DIRECTORY), environment, log);
        List<Output> outputs = outputs();
        Map<Output, Path> spools = new HashMap<>();
        if (config.get(Settings.OUTPUT_IOTHUB) == IotHubOutputMode.AUTO) {
            IotHubOutput iotHub = new IotHubOutput(config.get(Settings.OUTPUT_IOTHUB_DEVICE), log);
            outputs.add(0, iotHub);
            state.directory().ifPresent(d -> spools.put(iotHub, d.resolve("outbox-iothub")));
        }
        this.outbox = new Outbox(outputs, spools, Outbox.DEFAULT_MAX_BYTES, config.get(Settings.MESSAGE_TIMEOUT),
                clock, log, failures);
        if (config.get(Settings.OUTPUT_IOTHUB) == IotHubOutputMode.AUTO) {
            if (instrumentation != null) {
                try {
                    ClientCapture.install(instrumentation, log); // before anything here touches the bridge
                } catch (IOException | RuntimeException | LinkageError e) {
                    log.error("cannot watch for the application's IoT Hub client (" + e
                            + "): the IoT Hub output stays off; file and stdout outputs work");
                }
            }
            ClientRegistry.listen(outbox::wake);
        }
        MessageBuilder builder = new MessageBuilder(AgentVersion.get(), state.agentId(), ZoneId.systemDefault(),
                MessageBuilder.MAX_MESSAGE_BYTES, drops, log);
        this.pipeline = new Pipeline(builder, outbox, failures);
        pipeline.addReport(new ConfigurationErrors(config.problems()), Priority.HIGH);
        pipeline.addReport(new DroppedEventsStatistics(drops), Priority.HIGH);
        pipeline.addReport(new MessageStatistics(outbox::statistics), Priority.LOW);
        HostPaths host = new HostPaths(config.get(Settings.HOST_ROOT));
        addCollector(Settings.PROCESS, new ProcessCreateCollector(config, host, drops, log, failures,
                state.directory()));
        addCollector(Settings.NETWORK, new ConnectionCollector(config, drops, log, failures));
        addCollector(Settings.LOGIN, new LoginCollector(config, host, drops, log, failures, state.directory(),
                ZoneId.systemDefault()));
        addCollector(Settings.SYSTEM_INFORMATION, new SystemInformationCollector(config, host,
                InterfaceAddresses::read, log));
        addCollector(Settings.BASELINE, new BaselineCollector(config, host, log));
        addCollector(Settings.SBOM, new SbomCollector(host, new JarInventory(instrumentation == null
                ? () -> new Class<?>[0] : instrumentation::getAllLoadedClasses), log));
        addCollector(Settings.HEARTBEAT, new Heartbeat());
        this.schedule = new Schedule(config.get(Settings.PRIORITY_INTERVALS), clock.instant(),
                ThreadLocalRandom.current());
        this.scheduler = new Scheduler(schedule, clock, pipeline::windowsClosed, failures);
    }

    /** Called by {@code AgentEntry} through the agent's class loader, on the {@code iot-micro-agent-start} thread. */
    public static synchronized void start(String arguments, Instrumentation instrumentation, boolean premain) {
        if (current != null) {
            return;
        }
        Configuration config = Configuration.load(arguments, systemProperties(), System.getenv());
        AgentLog log = AgentLog.toStderr(config.get(Settings.LOG_LEVEL));
        config.problems().forEach(p -> log.error(p.line()));
        config.warnings().forEach(log::warning);
        Agent agent = new Agent(config, log, Clock.systemUTC(), System.getenv(), instrumentation);
        agent.run();
        current = agent;
        try {
            new AgentStatus(agent.state.agentId(), premain ? "-javaagent" : "attach", agent.config, agent.pipeline,
                    agent.schedule, agent.outbox, agent.drops, agent.failures).register();
        } catch (Exception | LinkageError e) {
            log.warning("status MBean " + AgentStatus.NAME + " not registered (" + e + "); the agent runs on");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> agent.stop(SHUTDOWN_BOUND), "iot-micro-agent-shutdown"));
        System.getProperties().put(RUNNING_PROPERTY, "running " + AgentVersion.get() + " ("
                + (premain ? "-javaagent" : "attach") + ")");
        log.info("agent " + AgentVersion.get() + " running (" + (premain ? "-javaagent" : "attached")
                + "), AgentId " + agent.state.agentId() + ", outputs " + agent.outbox.statistics().stream()
                        .map(s -> s.output()).toList());
    }

    void run() {
        for (Collector c : pipeline.collectors()) {
            try {
                c.start();
            } catch (Exception | LinkageError e) {
                log.error(c.name() + " collector could not start and is off; the rest of the agent runs: " + e);
            }
        }
        outbox.start();
        scheduler.start();
    }

    /** Closes every window, sends what it can within {@code bound}, and puts back what collectors changed. */
    void stop(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        scheduler.stop(bound.dividedBy(4));
        failures.contain("flush at shutdown", () -> pipeline.flush(clock.instant()));
        pipeline.collectors().forEach(c -> failures.contain(c.name() + " stop", c::stop));
        long left = Math.max(0, deadline - System.nanoTime());
        long unsent = outbox.flush(Duration.ofNanos(left));
        outbox.stop();
        if (unsent > 0) {
            log.warning("stopped with " + unsent + " message(s) not yet delivered to every output"
                    + state.directory().map(d -> "; those for IoT Hub are kept in " + d.resolve("outbox-iothub")
                            + " and sent after the next start").orElse(""));
        }
    }

    private void addCollector(CollectorKeys keys, Collector collector) {
        if (config.get(keys.disabled())) {
            log.info(collector.name() + " collector is off (" + keys.disabled().key() + "=true)");
            return;
        }
        pipeline.add(collector, config.get(keys.frequency()));
    }

    private List<Output> outputs() {
        List<Output> outputs = new ArrayList<>();
        if (config.get(Settings.OUTPUT_FILE) != null) {
            outputs.add(new FileOutput(config.get(Settings.OUTPUT_FILE)));
        }
        if (config.get(Settings.OUTPUT_STDOUT)) {
            outputs.add(new StdoutOutput(System.out));
        }
        return outputs;
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> map = new java.util.HashMap<>();
        System.getProperties().stringPropertyNames().forEach(n -> map.put(n, System.getProperty(n)));
        return map;
    }
}
