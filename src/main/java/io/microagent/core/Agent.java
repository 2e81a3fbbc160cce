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
import io.microagent.linux.JnaStart;
import io.microagent.linux.SystemZone;
import io.microagent.linux.NativeHeap;
import io.microagent.collect.operational.ConfigurationErrors;
import io.microagent.collect.operational.DroppedEventsStatistics;
import io.microagent.collect.operational.MessageStatistics;
import io.microagent.collect.operational.RemoteConfigurationReport;
import io.microagent.remote.RemoteConfiguration;
import io.microagent.config.CollectorKeys;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.event.DropLedger;
import io.microagent.event.LocalZone;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** Collectors get this long to stop even when the flush took the shutdown bound (audit restores its rules). */
    private static final Duration STOP_AT_LEAST = Duration.ofMillis(1500);
    private static final Duration STOP_BRIEFLY = Duration.ofMillis(100);
    static final String IOTHUB_SPOOL = "outbox-iothub";
    private static final String CLIENT_SEEN = "iothub-client-seen";
    /** How long an application's close of its client may wait for the agent's last messages. */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(1);

    private volatile Configuration config;
    private final AgentLog log;
    private final Failures failures;
    private final Clock clock;
    private final DropLedger drops = new DropLedger();
    private final AgentState state;
    private final Outbox outbox;
    private final IotHubOutput iotHub;
    private final HostRole role;
    private final Instrumentation instrumentation;
    /** The application's IoT Hub client is to be captured once the agent has started. */
    private boolean captureClients;
    /** The host's local time for TimestampLocal and classic syslog lines. */
    private final LocalZone zone = SystemZone.get();
    private final MessageBuilder builder;
    private final List<Collector> highReports = new ArrayList<>();
    private final List<Collector> lowReports = new ArrayList<>();
    // Rebuilt when the configuration changes while running (the twin); guarded by this object.
    private volatile Pipeline pipeline;
    private volatile Schedule schedule;
    private Scheduler scheduler;
    private boolean stopping;
    /** The agent's keys from the application's device twin; null where the IoT Hub output or the key is off. */
    private final RemoteConfiguration remote;

    Agent(Configuration config, AgentLog log, Clock clock, Map<String, String> environment,
            Instrumentation instrumentation) {
        this.config = config;
        this.log = log;
        this.clock = clock;
        this.failures = new Failures(log);
        this.state = AgentState.open(config.get(Settings.STATE_DIRECTORY), environment, log);
        this.role = new HostRole(state.directory(), log, clock);
        List<Output> outputs = outputs();
        Map<Output, Outbox.Spooling> spools = new HashMap<>();
        IotHubOutput iotHub = null;
        Optional<Path> iothubSpool = Optional.empty();
        if (config.get(Settings.OUTPUT_IOTHUB) == IotHubOutputMode.AUTO) {
            iotHub = new IotHubOutput(config.get(Settings.OUTPUT_IOTHUB_DEVICE), log, instrumentation);
            outputs.add(0, iotHub);
            // Messages for IoT Hub go to disk only once a client has been seen (here, or by an agent of this state
            // directory): an application without one would only fill a spool that nothing sends. On disk, an
            // agent with a client sends what agents without one queued.
            IotHubOutput spooled = iotHub;
            iothubSpool = state.directory().map(d -> d.resolve(IOTHUB_SPOOL));
            iothubSpool.ifPresent(d -> spools.put(spooled, new Outbox.Spooling(d,
                    () -> spooled.clientSeen() || clientSeenBefore(d))));
        }
        this.outbox = new Outbox(outputs, spools, Outbox.DEFAULT_MAX_BYTES, config.get(Settings.MESSAGE_TIMEOUT),
                clock, log, failures);
        IotHubOutput spooling = iotHub;
        iothubSpool.ifPresent(d -> spooling.onFirstClient(() -> {
            markClientSeen(d);
            outbox.recheckSpools();
        }));
        if (config.get(Settings.OUTPUT_IOTHUB) == IotHubOutputMode.AUTO) {
            if (instrumentation != null) {
                try {
                    ClientCapture.defineBridge(instrumentation); // before anything here touches the bridge
                    captureClients = true;
                } catch (IOException | RuntimeException | LinkageError e) {
                    log.error("cannot watch for the application's IoT Hub client (" + e
                            + "): the IoT Hub output stays off; file and stdout outputs work");
                }
            }
            ClientRegistry.listen(this::clientOpened);
            IotHubOutput output = iotHub;
            ClientRegistry.listenForClosing(client -> {
                if (output.sendsThrough(client)) {
                    sendBeforeClose();
                }
            });
        }
        this.iotHub = iotHub;
        this.instrumentation = instrumentation;
        this.builder = new MessageBuilder(AgentVersion.get(), state.agentId(), zone,
                MessageBuilder.MAX_MESSAGE_BYTES, drops, log);
        highReports.add(new ConfigurationErrors(config.problems()));
        highReports.add(new DroppedEventsStatistics(drops));
        lowReports.add(new MessageStatistics(outbox::statistics));
        if (iotHub != null && config.get(Settings.REMOTE_CONFIGURATION)) {
            RemoteConfigurationReport report = new RemoteConfigurationReport();
            highReports.add(report.onChange());
            lowReports.add(report.always());
            remote = new RemoteConfiguration(config, this::reconfigure, iotHub, state.directory(), log, report);
            this.config = remote.withStored();
        } else {
            remote = null;
        }
        build(this.config);
    }

    /** The application opened an IoT Hub client (on its thread): what waited for one goes now. */
    private void clientOpened() {
        outbox.wake();
        RemoteConfiguration r = remote; // null until the constructor has made it, and where it is off
        if (r != null) {
            r.clientOpened();
        }
    }

    /** The collectors, their windows and the scheduler for {@code config}: at start and at each reconfiguration. */
    private void build(Configuration config) {
        Pipeline pipeline = new Pipeline(builder, outbox, failures);
        highReports.forEach(r -> pipeline.addReport(r, Priority.HIGH));
        lowReports.forEach(r -> pipeline.addReport(r, Priority.LOW));
        HostPaths host = new HostPaths(config.get(Settings.HOST_ROOT));
        addCollector(pipeline, config, Settings.PROCESS, forTheHost(new ProcessCreateCollector(config, host, drops,
                log, failures, state.directory())));
        addCollector(pipeline, config, Settings.NETWORK, forTheHost(new ConnectionCollector(config, drops, log,
                failures)));
        addCollector(pipeline, config, Settings.LOGIN, forTheHost(new LoginCollector(config, host, drops, log,
                failures, state.directory(), zone)));
        addCollector(pipeline, config, Settings.SYSTEM_INFORMATION, forTheHost(new SystemInformationCollector(config,
                host, InterfaceAddresses::read, log)));
        addCollector(pipeline, config, Settings.BASELINE, forTheHost(new BaselineCollector(config, host, log)));
        // The host's packages by the collecting agent; each application's own jars by its own agent.
        addCollector(pipeline, config, Settings.SBOM, new SbomCollector(host, new JarInventory(instrumentation == null
                ? () -> new Class<?>[0] : instrumentation::getAllLoadedClasses), log, role::held));
        addCollector(pipeline, config, Settings.HEARTBEAT, new Heartbeat());
        this.schedule = new Schedule(config.get(Settings.PRIORITY_INTERVALS), clock.instant(),
                ThreadLocalRandom.current());
        // At every wake of the scheduler (at least every 20 s): glibc keeps what the JIT compiler and the agent's
        // work freed; trimmed, it leaves the device's resident memory.
        this.scheduler = new Scheduler(schedule, clock, this::windowsClosed, NativeHeap::trim, failures);
        this.pipeline = pipeline;
    }

    /** Windows closed: their events go out; after a High window the twin may be read again. */
    private void windowsClosed(java.util.Set<Priority> due, java.time.Instant now) {
        pipeline.windowsClosed(due, now);
        if (due.contains(Priority.HIGH) && remote != null) {
            remote.windowClosed();
        }
    }

    /**
     * Applies a new configuration while the application runs: open windows are closed and sent, the collectors
     * stop (Audit mode puts back what it changed) and start again with the new keys, with new windows. Returns the
     * keys whose values changed.
     */
    synchronized List<String> reconfigure(Configuration next) {
        Map<String, String> before = config.texts();
        Map<String, String> after = next.texts();
        List<String> changed = new ArrayList<>();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            if (!java.util.Objects.equals(before.get(key), after.get(key))) {
                changed.add(key);
            }
        }
        config = next;
        if (changed.isEmpty() || stopping) {
            return changed;
        }
        scheduler.stop(Duration.ofSeconds(1));
        failures.contain("flush before reconfiguring", () -> pipeline.flush(clock.instant()));
        stopCollectors(STOP_AT_LEAST);
        build(next);
        startCollectors(true);
        return changed;
    }

    Configuration configuration() {
        return config;
    }

    /** Called by {@code AgentEntry} through the agent's class loader, on the {@code iot-micro-agent-start} thread. */
    public static synchronized void start(String arguments, Instrumentation instrumentation, boolean premain) {
        if (current != null) {
            return;
        }
        JnaStart.start(); // before anything of the agent's calls native code
        Configuration config = Configuration.load(arguments, systemProperties(), System.getenv());
        AgentLog log = AgentLog.toStderr(config.get(Settings.LOG_LEVEL));
        config.problems().forEach(p -> log.error(p.line()));
        config.warnings().forEach(log::warning);
        Agent agent = new Agent(config, log, Clock.systemUTC(), System.getenv(), instrumentation);
        agent.run();
        current = agent;
        if (agent.captureClients) {
            ClientCapture.watch(instrumentation, log); // after the agent's own class loading (see there)
        }
        java.util.function.Consumer<Throwable> notRegistered = e -> log.warning("status MBean " + AgentStatus.NAME
                + " not registered (" + e + "); the agent runs on");
        try {
            new AgentStatus(agent.state.agentId(), premain ? "-javaagent" : "attach", agent).registerWhenServed(
                    instrumentation, notRegistered);
        } catch (RuntimeException | LinkageError e) {
            notRegistered.accept(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> agent.stop(SHUTDOWN_BOUND), "iot-micro-agent-shutdown"));
        System.getProperties().put(RUNNING_PROPERTY, "running " + AgentVersion.get() + " ("
                + (premain ? "-javaagent" : "attach") + ")");
        NativeHeap.trim(); // what loading, parsing and starting freed: megabytes of a device's resident memory
        log.info("agent " + AgentVersion.get() + " running (" + (premain ? "-javaagent" : "attached")
                + "), AgentId " + agent.state.agentId() + ", outputs " + agent.outbox.statistics().stream()
                        .map(s -> s.output()).toList());
    }

    void run() {
        outbox.start();
        // The host's collectors first when this agent takes the role now: they are running when the first window
        // closes (a short-lived application's only snapshot of Baseline or SystemInformation).
        role.start(this::startHostCollectors);
        startCollectors(false);
        if (remote != null) {
            remote.start();
        }
    }

    /** The collectors of the current pipeline (the host's too when this agent holds the role), then its windows. */
    private synchronized void startCollectors(boolean hostToo) {
        for (Collector c : pipeline.collectors()) {
            startCollector(c, c::start);
        }
        if (hostToo && role.held()) {
            startHostCollectors();
        }
        scheduler.start();
    }

    /** This agent collects for the host from now on (at start, or when the agent that did has gone). */
    private synchronized void startHostCollectors() {
        for (Collector c : pipeline.collectors()) {
            if (c instanceof HostCollector host && !host.running()) {
                startCollector(c, host::startForTheHost);
            }
        }
    }

    private interface Start {
        void run() throws Exception;
    }

    private void startCollector(Collector c, Start start) {
        try {
            start.run();
        } catch (Exception | LinkageError e) {
            log.error(c.name() + " collector could not start and is off; the rest of the agent runs: " + e);
        }
    }

    private Collector forTheHost(Collector collector) {
        return new HostCollector(collector, role);
    }

    /** The mark beside the spool, or anything an earlier run left in it (before there was a mark). */
    private static boolean clientSeenBefore(Path spool) {
        if (Files.exists(spool.resolveSibling(CLIENT_SEEN))) {
            return true;
        }
        try (var files = Files.list(spool)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private void markClientSeen(Path spool) {
        try {
            Files.writeString(spool.resolveSibling(CLIENT_SEEN), java.time.Instant.now() + " process "
                    + ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            log.warning("cannot mark in " + spool.getParent() + " that an IoT Hub client was seen ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Stops the collectors side by side: each waits up to its source's receive timeout (a second) for its thread,
     * and in turn they would add up. Only a collector that puts back what it changed on the host is waited for
     * up to {@code bound}; the others briefly, then left to the JVM's exit (their threads are daemons, their
     * sockets close with the process). An audit configuration not put back is restored by the next start.
     */
    private void stopCollectors(Duration bound) {
        Map<Thread, Boolean> stopping = new HashMap<>();
        for (Collector c : pipeline.collectors()) {
            stopping.put(AgentThreads.start("stop-" + c.name(), () -> failures.contain(c.name() + " stop", c::stop)),
                    c.restoresOnStop());
        }
        long brief = System.nanoTime() + STOP_BRIEFLY.toNanos();
        long deadline = System.nanoTime() + bound.toNanos();
        stopping.forEach((t, restores) -> AgentThreads.join(t, Duration.ofNanos(Math.max(1_000_000,
                (restores ? deadline : brief) - System.nanoTime()))));
    }

    /**
     * What did not go out before exit, per output: kept on disk for the next start, or lost (said once). Messages
     * for IoT Hub in a JVM that never had a client are not worth a warning: nothing could have sent them.
     */
    private void reportUnsent() {
        Map<String, Boolean> onDisk = outbox.lanes().stream()
                .collect(java.util.stream.Collectors.toMap(Outbox.LaneState::output, Outbox.LaneState::onDisk));
        List<String> kept = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (var s : outbox.statistics()) {
            if (s.pending() == 0) {
                continue;
            }
            String text = s.pending() + " for " + s.output();
            if (onDisk.getOrDefault(s.output(), false)) {
                kept.add(text);
            } else if (iotHub != null && s.output().equals(iotHub.name()) && !iotHub.clientSeen()) {
                log.info("stopped; " + text + " not sent: the application never opened an IoT Hub client here"
                        + " (Output_IotHub=Off turns that output off)");
            } else {
                lost.add(text);
            }
        }
        if (!kept.isEmpty()) { // not lost: an info, not a warning
            log.info("stopped with message(s) not yet delivered: " + String.join(", ", kept) + ", kept in "
                    + state.directory().map(d -> d.resolve(IOTHUB_SPOOL).toString()).orElse("?")
                    + " and sent after the next start");
        }
        if (!lost.isEmpty()) {
            log.warning("stopped with message(s) not delivered and not kept: " + String.join(", ", lost));
        }
    }

    /**
     * The application is closing the client the agent sends through (on the application's thread, so within
     * {@link #CLOSE_BOUND}): open windows are closed and what is due goes out through that client while it is
     * still open. What is not delivered by then waits for the next client, or the spool.
     */
    private void sendBeforeClose() {
        long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
        try {
            if (pipeline.flush(clock.instant(), CLOSE_BOUND.dividedBy(2))) {
                long unsent = outbox.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                log.debug(() -> "the application closes its IoT Hub client: windows closed and sent, " + unsent
                        + " message(s) still waiting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes every window, sends what it can within {@code bound}, and puts back what collectors changed. */
    void stop(Duration bound) {
        synchronized (this) {
            stopping = true;
        }
        if (remote != null) {
            remote.stop();
        }
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        scheduler.stop(bound.dividedBy(4));
        long scheduled = System.nanoTime();
        failures.contain("flush at shutdown", () -> pipeline.flush(clock.instant()));
        long flushed = System.nanoTime();
        role.closing();
        stopCollectors(Duration.ofNanos(Math.max(STOP_AT_LEAST.toNanos(), deadline - System.nanoTime())));
        role.stop(); // after the host collectors put back what they changed: the next collector finds it as it was
        long stopped = System.nanoTime();
        long left = Math.max(0, deadline - System.nanoTime());
        outbox.flush(Duration.ofNanos(left));
        outbox.stop();
        outbox.close();
        long end = System.nanoTime();
        long startedAt = System.currentTimeMillis() - (end - start) / 1_000_000;
        log.debug(() -> "stopped (from " + startedAt + ") in " + (end - start) / 1_000_000 + " ms: scheduler " + (scheduled - start) / 1_000_000
                + ", windows " + (flushed - scheduled) / 1_000_000 + ", collectors " + (stopped - flushed) / 1_000_000
                + ", outbox " + (end - stopped) / 1_000_000);
        reportUnsent();
    }

    private void addCollector(Pipeline pipeline, Configuration config, CollectorKeys keys, Collector collector) {
        if (config.get(keys.disabled())) {
            log.info(collector.name() + " collector is off (" + keys.disabled().key() + "=true, "
                    + config.source(keys.disabled()) + ")");
            return;
        }
        pipeline.add(collector, config.get(keys.frequency()));
    }

    // For the status MBean: the parts in force now.
    Pipeline pipeline() {
        return pipeline;
    }

    Schedule schedule() {
        return schedule;
    }

    Outbox outbox() {
        return outbox;
    }

    DropLedger drops() {
        return drops;
    }

    Failures failures() {
        return failures;
    }

    HostRole role() {
        return role;
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
