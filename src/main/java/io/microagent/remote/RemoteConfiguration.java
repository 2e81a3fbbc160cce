package io.microagent.remote;

import io.microagent.bridge.ClientRegistry;
import io.microagent.collect.operational.RemoteConfigurationReport;
import io.microagent.config.ConfigSource;
import io.microagent.config.Configuration;
import io.microagent.config.RemoteSection;
import io.microagent.config.Setting;
import io.microagent.config.Settings;
import io.microagent.json.Json;
import io.microagent.json.Tree;
import io.microagent.linux.PrivateFiles;
import io.microagent.log.AgentLog;
import io.microagent.output.iothub.IotHubOutput;
import io.microagent.output.iothub.TwinAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The agent's keys from the application's device twin (desired {@value RemoteSection#NAME}), applied while the
 * application runs. The twin is read through the application's client at start and after each High window;
 * patches are seen where the SDK hands them to whichever callback subscribed. Agent arguments, system properties
 * and the environment win over the twin, the twin over {@code Config_File}. The last applied section is kept in
 * the state directory and used at the next start until the twin is read. Everything runs on one agent thread,
 * never on the SDK's.
 */
public final class RemoteConfiguration {
    static final String STORE = "remote-configuration.json";
    /** How long an application has, after its client is open, to subscribe to its twin before the agent does. */
    static final Duration SUBSCRIBE_GRACE = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(5);
    /** How long the twin's thread waits for more work before it ends. */
    private static final Duration IDLE = Duration.ofSeconds(10);
    /**
     * The agent reads the twin only when the application has made no twin request for this long: the SDK (2.5.0)
     * can lose the reply to one of two twin requests in flight at once, and the application's must not fail.
     */
    static final Duration QUIET = Duration.ofSeconds(3);
    /** Twin reads are throttled by IoT Hub per unit: with short High windows, at most one read this often. */
    static final Duration MIN_READ_INTERVAL = Duration.ofSeconds(10);

    private final Configuration device;
    private final Function<Configuration, List<String>> apply;
    private final IotHubOutput output;
    private final Optional<Path> store;
    private final AgentLog log;
    private final RemoteConfigurationReport report;
    /**
     * The agent's thread for the twin. It runs only while there is work: from the application's first client until
     * the twin is read, then for a moment at each High window or twin message (a device pays every idle thread in
     * resident memory, and an application without the SDK never needs this one).
     */
    private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "iot-micro-agent-remote-configuration");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> retrying;
    /**
     * When the application last made a twin request or received a twin message (set on its threads). The agent's
     * start counts as such: what the application did before the agent listened (one of its twin requests may still be
     * in flight) cannot be seen, so the first read waits for {@link #QUIET} like any other.
     */
    private volatile long applicationTwinActivity = System.nanoTime();
    // Only the worker thread touches these.
    /** The {@value RemoteSection#NAME} object as the twin gave it (a map: {@link Tree}), or null. */
    private Map<String, Object> section;
    private long version = -1;
    private Map<String, String> accepted = Map.of();
    private boolean read;
    private long clientOpenSince;
    private boolean subscribing;
    private String lastFailure = "";
    private long lastRead = System.nanoTime() - MIN_READ_INTERVAL.toNanos();

    /**
     * @param device the configuration from the device's own sources, at start
     * @param apply  applies a configuration to the running agent and returns the keys whose values changed
     */
    public RemoteConfiguration(Configuration device, Function<Configuration, List<String>> apply, IotHubOutput output,
            Optional<Path> stateDirectory, AgentLog log, RemoteConfigurationReport report) {
        this.device = device;
        this.apply = apply;
        this.output = output;
        this.store = stateDirectory.map(d -> d.resolve(STORE));
        this.log = log;
        this.report = report;
    }

    public void start() {
        ClientRegistry.listenForTwinRequests(() -> {
            if (!Thread.currentThread().getName().startsWith("iot-micro-agent-")) {
                applicationTwinActivity = System.nanoTime();
            }
        });
        // On the SDK's thread: note the time and hand over; the reading happens on the agent's thread.
        ClientRegistry.listenForTwinMessages((deviceTwin, message) -> {
            applicationTwinActivity = System.nanoTime(); // a reply or a patch: the twin is busy now
            later(() -> received(TwinAccess.received(deviceTwin, message)));
        });
        worker.setKeepAliveTime(IDLE.toMillis(), TimeUnit.MILLISECONDS);
        worker.allowCoreThreadTimeOut(true);
        worker.setRemoveOnCancelPolicy(true);
        if (ClientRegistry.seen()) {
            clientOpened();
        }
    }

    /** The application has (or is opening) an IoT Hub client: the twin is read once it is quiet, tried every 5 s. */
    public void clientOpened() {
        later(() -> {
            if (!read && retrying == null) {
                retrying = worker.scheduleWithFixedDelay(() -> {
                    if (!read) {
                        readTwin();
                    }
                    if (read && retrying != null) {
                        retrying.cancel(false); // from here on, High windows and twin messages bring the work
                        retrying = null;
                    }
                }, 0, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * After each High window: the twin again (a change made while the client was away), where the agent holds the
     * subscription. Where the application holds it, patches reach its callback (and the agent through the advice)
     * and the application's own twin reads answer the agent too: the agent adds no requests to the application's.
     */
    public void windowClosed() {
        if (!ClientRegistry.seen()) {
            return; // no SDK in this application (yet): no client, no twin
        }
        later(() -> {
            Object client = output.applicationClient();
            if (client != null && TwinAccess.subscriber(client) == TwinAccess.Subscriber.APPLICATION && read) {
                return;
            }
            if (System.nanoTime() - lastRead >= MIN_READ_INTERVAL.toNanos()) {
                readTwin();
            }
        });
    }

    /** A patch, or the answer to a twin read (the application's serves the agent too), on the client in use. */
    private void received(TwinAccess.Received received) {
        if (received.client() == null || !output.sendsThrough(received.client())) {
            return;
        }
        if (received.desiredPatch() != null) {
            patch(received.desiredPatch());
        } else if (received.twin() != null) {
            answered(received.twin());
        }
    }

    /** A twin read's answer seen through the advice: {"desired":{...},"reported":{...}}. */
    private void answered(String twinJson) {
        try {
            Object twin = Json.read(twinJson.getBytes(StandardCharsets.UTF_8));
            if (Tree.object(twin).containsKey("desired")) {
                whole(Tree.get(twin, "desired"));
            }
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    public void stop() {
        worker.shutdownNow();
    }

    /** On the agent's thread; dropped once the agent stops (an SDK callback may still arrive then). */
    private void later(Runnable work) {
        try {
            worker.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void readTwin() {
        Object client = output.applicationClient();
        if (client == null) {
            clientOpenSince = 0;
            return;
        }
        if (clientOpenSince == 0) {
            clientOpenSince = System.nanoTime();
        }
        if (!applicationTwinQuiet()) {
            return; // the application uses its twin now: tried at the next High window (at start: in 5 s)
        }
        switch (TwinAccess.subscriber(client)) {
            case APPLICATION, AGENT -> {
                lastRead = System.nanoTime();
                TwinAccess.read(client, json -> later(() -> whole(json)),
                        this::failed);
            }
            case NOBODY -> {
                if (!subscribing && System.nanoTime() - clientOpenSince >= SUBSCRIBE_GRACE.toNanos()) {
                    subscribing = true;
                    log.info("the application does not use its device twin: the agent subscribes to its desired"
                            + " properties to read " + RemoteSection.NAME + " (the application may subscribe at any"
                            + " time; it then holds the subscription)");
                    TwinAccess.subscribe(client, () -> later(this::readTwin), e -> {
                        subscribing = false;
                        failed(e);
                    });
                }
            }
        }
    }

    /** No application twin request or twin message for {@link #QUIET} (the agent's start counted as one). */
    boolean applicationTwinQuiet() {
        return System.nanoTime() - applicationTwinActivity >= QUIET.toNanos();
    }

    private void failed(Throwable e) {
        String text = String.valueOf(e);
        if (!text.equals(lastFailure)) {
            lastFailure = text;
            log.warning("cannot read the device twin for " + RemoteSection.NAME + " (" + text + "); tried again after"
                    + " the next High window");
        }
    }

    /** The whole desired properties, from a twin read. */
    private void whole(String json) {
        try {
            whole(Json.read(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    private void whole(Object desired) {
        try {
            read = true;
            lastFailure = "";
            long v = Tree.asLong(Tree.get(desired, "$version"), -1);
            Object s = Tree.get(desired, RemoteSection.NAME);
            Map<String, Object> next = Tree.isObject(s) ? Tree.object(Tree.copy(s)) : null;
            boolean same = v == version && java.util.Objects.equals(next, section);
            version = v;
            if (!same) {
                section = next;
                applySection("twin read");
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A desired-properties patch: objects merge key by key, a null deletes. */
    private void patch(String json) {
        try {
            Object patch = Json.read(json.getBytes(StandardCharsets.UTF_8));
            version = Tree.asLong(Tree.get(patch, "$version"), version);
            if (!Tree.object(patch).containsKey(RemoteSection.NAME)) {
                return; // a change of the application's own properties
            }
            Object s = Tree.get(patch, RemoteSection.NAME);
            if (!Tree.isObject(s)) {
                section = null;
            } else {
                if (section == null) {
                    section = new LinkedHashMap<>();
                }
                merge(section, Tree.object(s));
            }
            applySection("desired patch");
        } catch (IOException | RuntimeException e) {
            log.warning("a desired-properties patch could not be read (" + e + "); the twin is read again");
            readTwin();
        }
    }

    static void merge(Map<String, Object> into, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            if (value == null) {
                into.remove(key);
            } else if (Tree.isObject(value) && Tree.isObject(into.get(key))) {
                merge(Tree.object(into.get(key)), Tree.object(value));
            } else {
                into.put(key, Tree.copy(value));
            }
        });
    }

    /**
     * Before the agent builds its collectors: the section kept from the last run, so a device restarted while the hub
     * is away starts with its fleet configuration. Returns the configuration to start with.
     */
    public Configuration withStored() {
        if (store.isEmpty() || !Files.isRegularFile(store.get())) {
            return device;
        }
        try {
            Object stored = Json.read(Files.readAllBytes(store.get()));
            version = Tree.asLong(Tree.get(stored, "version"), -1);
            Object s = Tree.get(stored, RemoteSection.NAME);
            section = Tree.isObject(s) ? Tree.object(s) : null;
            RemoteSection checked = RemoteSection.check(section, version, Map.of(), device);
            Configuration next = device.withTwin(checked.values());
            accepted = checked.accepted();
            log.info("device twin desired $version " + version + " (kept in " + store.get() + " until the twin is"
                    + " read): " + (accepted.isEmpty() ? "no keys" : String.join(", ", accepted.keySet())));
            report.update(state(next, checked));
            return next;
        } catch (IOException | RuntimeException e) {
            log.warning("the remote configuration kept in " + store.get() + " cannot be read (" + e + "); the twin"
                    + " will be read");
            return device;
        }
    }

    private void applySection(String how) {
        RemoteSection checked = RemoteSection.check(section, version, accepted, device);
        for (RemoteSection.Invalid i : checked.invalid()) {
            log.error("configuration: " + i.key() + "=" + i.value() + " (device twin desired " + RemoteSection.NAME
                    + ", $version " + version + ") " + i.reason() + "; the key stays as it was");
        }
        Configuration next = device.withTwin(checked.values());
        List<String> changed;
        try {
            changed = apply.apply(next);
        } catch (RuntimeException e) {
            log.error("applying the device twin's configuration failed (" + e + "); the agent runs on");
            return;
        }
        accepted = checked.accepted();
        log.info("device twin desired $version " + version + " (" + how + "): " + (changed.isEmpty()
                ? "no change" : "changed " + String.join(", ", changed)) + (checked.pinned().isEmpty() ? ""
                        : "; pinned on the device: " + String.join(", ", checked.pinned())));
        report.update(state(next, checked));
        save();
    }

    private RemoteConfigurationReport.State state(Configuration config, RemoteSection checked) {
        List<RemoteConfigurationReport.Key> keys = new ArrayList<>();
        Map<String, String> texts = config.texts();
        for (Setting<?> setting : Settings.all()) {
            ConfigSource source = config.source(setting);
            if (source != null && source.kind() != ConfigSource.Kind.DEFAULT) {
                keys.add(new RemoteConfigurationReport.Key(setting.key(), texts.get(setting.key()),
                        source.toString()));
            }
        }
        return new RemoteConfigurationReport.State(version < 0 ? null : version,
                checked.invalid().isEmpty() ? "success" : "failed",
                checked.invalid().stream().map(i -> new RemoteConfigurationReport.Field(i.key(), i.value(),
                        i.reason())).toList(), checked.pinned(), keys);
    }

    /** The section as applied, for the next start (owner-only, replaced atomically). */
    private void save() {
        if (store.isEmpty()) {
            return;
        }
        try {
            Map<String, Object> kept = new LinkedHashMap<>();
            kept.put("version", version);
            kept.put(RemoteSection.NAME, section);
            PrivateFiles.replace(store.get(), Json.write(kept));
        } catch (IOException | RuntimeException e) {
            log.warning("cannot keep the remote configuration in " + store.get() + " (" + e.getMessage() + ")");
        }
    }
}
