package io.microagent.output.iothub;

import io.microagent.bridge.ClientRegistry;
import io.microagent.log.AgentLog;
import io.microagent.output.Output;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends through the application's own IoT Hub client: never opens, closes or reconfigures it and never sets
 * its callbacks; it only calls {@code sendEventAsync} with its own callback. With several clients in the JVM it
 * uses the one named by {@code Output_IotHubDevice} ("device" or "device/module"), else the first one seen.
 * Until a client is seen it is not ready, and messages wait in the outbox.
 */
public final class IotHubOutput implements Output {
    /** The SDK answers every send (delivered or failed) within its own operation timeout; this is a backstop. */
    static final Duration SEND_TIMEOUT = Duration.ofMinutes(5);

    private final String wantedIdentity;
    private final AgentLog log;
    private IotHubClientAdapter adapter;
    private Object refused;
    private volatile Runnable firstClient = () -> { };
    private boolean seen;
    private boolean explained;
    private final long createdAt = System.nanoTime();
    static final long EXPLAIN_AFTER_NANOS = 10_000_000_000L;
    private boolean sentThrough;

    /** How often, at most, the SDK's threads are searched for a client opened before the agent could see it. */
    static final long SEARCH_EVERY_NANOS = 10_000_000_000L;
    private final IdleClients idle;
    private long searchedAt;
    private boolean searched;

    /** @param instrumentation to find clients opened and left idle before the agent saw them; null: no search */
    public IotHubOutput(String wantedIdentity, AgentLog log, java.lang.instrument.Instrumentation instrumentation) {
        this.wantedIdentity = wantedIdentity;
        this.log = log;
        this.idle = instrumentation == null ? null : new IdleClients(instrumentation);
    }

    @Override
    public String name() {
        return "IotHub";
    }

    @Override
    public synchronized boolean ready() {
        boolean ready = adapter() != null;
        // Not while the application is still starting (its client is usually in use within seconds), and not after
        // a client was closed: then there is nothing to explain.
        if (!ready && !explained && !sentThrough && System.nanoTime() - createdAt >= EXPLAIN_AFTER_NANOS) {
            explained = true; // once, when the first messages are due and no client is there to take them
            log.info("security messages for IoT Hub wait for the application's IoT Hub client: "
                    + (seen ? "the application has the SDK's client, but none has been opened or used since the"
                            + " agent started (an attached agent sees a client when the application next opens it"
                            + " or sends)" : "the application has not loaded the SDK's client")
                    + "; see java -jar iot-micro-agent.jar status " + ProcessHandle.current().pid()
                    + ", or set Output_IotHub=Off when the application has no IoT Hub client");
        }
        return ready;
    }

    @Override
    public synchronized String describe() {
        if (adapter != null) {
            return "sending through the application's client for " + adapter.identity();
        }
        return seen || ClientRegistry.seen() ? "waiting for the application's client to be opened or used"
                : "waiting: the application has not loaded the SDK's client";
    }

    @Override
    public synchronized CompletableFuture<Void> send(byte[] message) {
        IotHubClientAdapter a = adapter();
        if (a == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no IoT Hub client seen yet"));
        }
        return a.send(message).orTimeout(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs once, on the thread that first learns the application has made or used a client. */
    public void onFirstClient(Runnable action) {
        firstClient = action;
    }

    /** Whether the application has made or used a client in this JVM. */
    public synchronized boolean clientSeen() {
        return seen;
    }

    /** Whether messages go out through {@code client} now (it may be the first time it is looked at). */
    public synchronized boolean sendsThrough(Object client) {
        IotHubClientAdapter a = adapter(false); // on the application's thread: no search for idle clients here
        return a != null && a.drives(client);
    }

    /**
     * The application's client messages go out through now (for its twin), or null: none open, or only a DeviceIO
     * found idle, which has no twin API.
     */
    public synchronized Object applicationClient() {
        IotHubClientAdapter a = adapter(false);
        return a == null || a.foundIdle() ? null : a.client();
    }

    /** The identity of the client in use, or null. */
    public synchronized String clientIdentity() {
        return adapter == null ? null : adapter.identity();
    }

    private IotHubClientAdapter adapter() {
        return adapter(true);
    }

    private IotHubClientAdapter adapter(boolean mayLookForIdle) {
        if (!seen && ClientRegistry.seen()) {
            seen = true; // made, if not open yet (the hub may be down): from now on its messages are worth keeping
            try {
                firstClient.run();
            } catch (RuntimeException e) {
                log.warning("after the first IoT Hub client was seen: " + e);
            }
        }
        List<Object> clients = ClientRegistry.openClients();
        // A client found idle gives way to one the application uses (usually the same connection).
        if (adapter != null && adapter.open(clients) && !(adapter.foundIdle() && !clients.isEmpty())) {
            return adapter;
        }
        adapter = null;
        for (Object client : clients) {
            if (client == refused) {
                continue;
            }
            try {
                IotHubClientAdapter candidate = new IotHubClientAdapter(client);
                if (wantedIdentity == null || wantedIdentity.equals(candidate.identity())) {
                    adapter = candidate;
                    sentThrough = true;
                    log.info("sending security messages through the application's IoT Hub client for "
                            + candidate.identity() + (clients.size() > 1 ? " (" + clients.size() + " clients seen; "
                                    + (wantedIdentity == null ? "the first one seen" : "named by Output_IotHubDevice")
                                    + ")" : ""));
                    return adapter;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                refused = client;
                log.error("cannot send through the application's IoT Hub client " + client.getClass().getName()
                        + ": " + e.getMessage() + "; file and stdout outputs keep working");
            }
        }
        return clients.isEmpty() && mayLookForIdle ? idleClient() : null;
    }

    /** A client the application opened before the agent saw it and has not used since, if there is one. */
    private IotHubClientAdapter idleClient() {
        if (idle == null || !ClientRegistry.seen() || searched && System.nanoTime() - searchedAt < SEARCH_EVERY_NANOS) {
            return null;
        }
        searched = true;
        searchedAt = System.nanoTime();
        try {
            for (Object deviceIO : idle.find()) {
                IotHubClientAdapter candidate = new IotHubClientAdapter(deviceIO, true);
                if (candidate.open(List.of())
                        && (wantedIdentity == null || wantedIdentity.equals(candidate.identity()))) {
                    adapter = candidate;
                    sentThrough = true;
                    log.info("sending security messages through the application's IoT Hub client for "
                            + candidate.identity() + " (open before the agent started, and idle since: found through"
                            + " the SDK's own threads)");
                    return adapter;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug(() -> "no idle IoT Hub client found: " + e + " at " + java.util.Arrays.toString(e.getStackTrace()));
        }
        return null;
    }
}
