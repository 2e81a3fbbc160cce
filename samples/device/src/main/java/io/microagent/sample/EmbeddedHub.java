package io.microagent.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moquette.broker.Server;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A local stand-in for Azure IoT Hub: an embedded MQTT broker (Moquette) with TLS on 127.0.0.1:8883, the port
 * the SDK's MQTT transport always uses. It hands every device-to-cloud message it receives to a listener.
 * Nothing leaves loopback; Moquette's telemetry is off. The test CA and server certificate are made with the
 * JDK's keytool the first time, in {@code pkiDirectory}.
 */
public final class EmbeddedHub implements AutoCloseable {
    public static final int PORT = 8883;
    static final String PASSWORD = "changeit";

    /** A message as the hub received it: the device, its properties (decoded from the topic) and payload. */
    public record Received(String deviceId, String topic, Map<String, String> properties, String payload) {
        /** Marked by the SDK's setAsSecurityMessage(). */
        public boolean isSecurityMessage() {
            return "urn:azureiot:Security:SecurityAgent:1".equals(properties.get("$.ifid"));
        }
    }

    /** A reported-properties patch the hub answered: the device, the body and the status it answered with. */
    public record ReportedPatch(String deviceId, String body, int status) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path pki;
    private final Consumer<Received> listener;
    private Server server;
    /**
     * The hub's own side of the twin protocol: a client of the broker that publishes replies and desired patches
     * (the broker's internal publishing lost some replies under load; a client goes the way devices' messages go).
     */
    private MqttClient service;
    private static final String SERVICE = "embedded-hub-service";
    private static final long REPLY_LATENCY_MS = 20;
    /** Each device's twin, as IoT Hub keeps it: desired and reported properties, each with its $version. */
    private final Map<String, ObjectNode> twins = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<ReportedPatch> reportedPatches = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Twin requests that came while another waited for its answer (an application's own are one at a time). */
    private final java.util.concurrent.atomic.AtomicInteger crossingRequests = new java.util.concurrent.atomic.AtomicInteger();
    /** Twin requests received and not yet answered. */
    private final java.util.concurrent.atomic.AtomicInteger awaitingReply = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> twinRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.ExecutorService replies = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "embedded-hub-twin");
                t.setDaemon(true);
                return t;
            });

    private EmbeddedHub(Path pki, Consumer<Received> listener) {
        this.pki = pki;
        this.listener = listener;
    }

    public static EmbeddedHub start(Path pkiDirectory, Consumer<Received> listener) throws Exception {
        EmbeddedHub hub = new EmbeddedHub(pkiDirectory, listener);
        Pki.ensure(pkiDirectory);
        hub.start();
        return hub;
    }

    /** (Re)starts the broker, after {@link #stop()} as well: tests take the hub away and bring it back. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", "disabled");
        p.setProperty("websocket_port", "disabled");
        p.setProperty("ssl_port", String.valueOf(PORT));
        p.setProperty("jks_path", pki.resolve("server.p12").toString());
        p.setProperty("key_store_type", "pkcs12");
        p.setProperty("key_store_password", PASSWORD);
        p.setProperty("key_manager_password", PASSWORD);
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("netty.mqtt.message_size", String.valueOf(512 * 1024));
        Server s = new Server();
        try {
            s.startServer(new MemoryConfig(p), List.of(new Interceptor()));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot start the local hub on 127.0.0.1:" + PORT
                    + " (is another MQTT broker using the port?): " + e.getMessage(), e);
        }
        server = s;
        try {
            service = new MqttClient("ssl://127.0.0.1:" + PORT, SERVICE, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(clientContext().getSocketFactory());
            options.setCleanSession(true);
            options.setHttpsHostnameVerificationEnabled(false);
            service.connect(options);
        } catch (Exception e) {
            stop();
            throw new IOException("the local hub's twin service could not connect to its broker: " + e, e);
        }
    }

    public synchronized void stop() {
        if (service != null) {
            try {
                service.disconnectForcibly(1000, 1000);
                service.close();
            } catch (MqttException e) {
                // the broker stops anyway
            }
            service = null;
        }
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Changes a device's desired properties as a service (or an automatic device configuration) would: the patch
     * merges (a null deletes), the desired $version goes up by one, and a device subscribed to desired properties
     * receives the patch with the new $version. Returns that version.
     */
    public synchronized long desired(String deviceId, String patchJson) throws IOException {
        ObjectNode twin = twin(deviceId);
        ObjectNode desired = (ObjectNode) twin.get("desired");
        ObjectNode patch = (ObjectNode) JSON.readTree(patchJson);
        merge(desired, patch);
        long version = desired.get("$version").asLong() + 1;
        desired.put("$version", version);
        patch.put("$version", version);
        byte[] body = JSON.writeValueAsBytes(patch);
        replies.execute(() -> publish("$iothub/twin/PATCH/properties/desired/?$version=" + version, body));
        return version;
    }

    /** The device's twin now: {"desired":{...,"$version":D},"reported":{...,"$version":R}}. */
    public synchronized String twinOf(String deviceId) {
        return twin(deviceId).toString();
    }

    /** Every reported-properties patch the hub answered, in order. */
    /** Twin requests that came while another request's answer was still due. */
    public int crossingTwinRequests() {
        return crossingRequests.get();
    }

    public List<ReportedPatch> reportedPatches() {
        return List.copyOf(reportedPatches);
    }

    /** The twin topics devices published to, in order ({@code $iothub/twin/GET/...}, ...). */
    public List<String> twinRequests() {
        return List.copyOf(twinRequests);
    }

    private ObjectNode twin(String deviceId) {
        return twins.computeIfAbsent(deviceId, id -> {
            ObjectNode t = JSON.createObjectNode();
            t.putObject("desired").put("$version", 1);
            t.putObject("reported").put("$version", 1);
            return t;
        });
    }

    private static void merge(ObjectNode into, ObjectNode patch) {
        patch.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                into.remove(f.getKey());
            } else if (f.getValue().isObject() && into.get(f.getKey()) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) f.getValue());
            } else {
                into.set(f.getKey(), f.getValue().deepCopy());
            }
        });
    }

    /** Answers the device's twin requests over MQTT as IoT Hub does (../shared/reference/iothub-local-hub.md, 5). */
    private void twinRequest(String deviceId, String topic, byte[] body) {
        if (awaitingReply.getAndIncrement() > 0) {
            crossingRequests.incrementAndGet();
        }
        twinRequests.add(topic);
        String rid = parameter(topic, "$rid");
        if (topic.startsWith("$iothub/twin/GET/")) {
            String twin;
            synchronized (this) {
                twin = twin(deviceId).toString();
            }
            replies.execute(() -> answer("$iothub/twin/res/200/?$rid=" + rid, twin.getBytes(StandardCharsets.UTF_8)));
        } else if (topic.startsWith("$iothub/twin/PATCH/properties/reported/")) {
            String asked = parameter(topic, "$version");
            int status;
            long version;
            synchronized (this) {
                ObjectNode reported = (ObjectNode) twin(deviceId).get("reported");
                version = reported.get("$version").asLong();
                JsonNode patch;
                try {
                    patch = JSON.readTree(body);
                } catch (IOException e) {
                    patch = null;
                }
                if (!(patch instanceof ObjectNode)) {
                    status = 400;
                } else if (asked != null && !asked.equals("0") && !asked.equals(String.valueOf(version))) {
                    status = 412; // the precondition: the version the device last read
                } else {
                    ((ObjectNode) patch).remove("$version");
                    merge(reported, (ObjectNode) patch);
                    version++;
                    reported.put("$version", version);
                    status = 204;
                }
            }
            reportedPatches.add(new ReportedPatch(deviceId, new String(body, StandardCharsets.UTF_8), status));
            String reply = "$iothub/twin/res/" + status + "/?$rid=" + rid + (status == 204 ? "&$version=" + version : "");
            replies.execute(() -> answer(reply, new byte[0]));
        } else {
            awaitingReply.decrementAndGet(); // not a request the hub answers
        }
    }

    private void answer(String topic, byte[] body) {
        try {
            publish(topic, body);
        } finally {
            awaitingReply.decrementAndGet();
        }
    }

    private static String parameter(String topic, String name) {
        int q = topic.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String part : topic.substring(q + 1).split("&")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    private void publish(String topic, byte[] body) {
        try {
            Thread.sleep(REPLY_LATENCY_MS); // IoT Hub answers over a network: the SDK drops some replies that come back at once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        MqttClient c;
        synchronized (this) {
            c = service;
        }
        if (c != null) {
            try {
                c.publish(topic, body, 1, false);
            } catch (MqttException e) {
                // the hub is stopping: IoT Hub would not answer either
            }
        }
    }

    /** The test CA's certificate (PEM), for a device in another JVM: {@code --ca-file}. */
    public Path caCertificate() {
        return pki.resolve("ca.pem");
    }

    /** A client TLS context that trusts the hub's test CA. */
    public SSLContext clientContext() throws Exception {
        return trusting(caCertificate());
    }

    public static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("ca", ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** devices/ID/messages/events/$.mid=..&$.ifid=..&name=value: each part URL-encoded (space as %20). */
    static Map<String, String> properties(String topic) {
        Map<String, String> properties = new LinkedHashMap<>();
        int events = topic.indexOf("/messages/events/");
        if (events < 0) {
            return properties;
        }
        for (String part : topic.substring(events + "/messages/events/".length()).split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                properties.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return properties;
    }

    private final class Interceptor extends AbstractInterceptHandler {
        @Override
        public String getID() {
            return "embedded-hub";
        }

        @Override
        public void onPublish(InterceptPublishMessage message) {
            try {
                String topic = message.getTopicName();
                if (SERVICE.equals(message.getClientID())) {
                    return; // the hub's own replies and pushes
                }
                if (topic.startsWith("$iothub/twin/")) {
                    byte[] body = new byte[message.getPayload().readableBytes()];
                    message.getPayload().getBytes(message.getPayload().readerIndex(), body);
                    twinRequest(message.getClientID(), topic, body);
                    return;
                }
                String payload = message.getPayload().toString(StandardCharsets.UTF_8);
                String[] levels = topic.split("/");
                listener.accept(new Received(levels.length > 1 ? levels[1] : "?", topic, properties(topic), payload));
            } finally {
                message.getPayload().release();
            }
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            // A broken connection is the device's business: it reconnects.
        }
    }

    /** The test PKI: a CA and a server certificate for localhost and 127.0.0.1, made once with keytool. */
    static final class Pki {
        private Pki() {
        }

        static synchronized void ensure(Path dir) throws Exception {
            if (Files.exists(dir.resolve("server.p12")) && Files.exists(dir.resolve("ca.pem"))) {
                return;
            }
            Files.createDirectories(dir);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            String store = dir.resolve("server.p12").toString();
            String ca = dir.resolve("ca.p12").toString();
            Files.deleteIfExists(Path.of(store));
            Files.deleteIfExists(Path.of(ca));
            run(null, keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=iot-micro-agent test CA", "-ext", "bc:c", "-validity", "36500", "-keystore", ca,
                    "-storetype", "PKCS12", "-storepass", PASSWORD);
            run(null, keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-validity", "36500", "-keystore", store, "-storetype", "PKCS12",
                    "-storepass", PASSWORD);
            byte[] request = run(null, keytool, "-certreq", "-alias", "server", "-keystore", store, "-storepass",
                    PASSWORD);
            byte[] signed = run(request, keytool, "-gencert", "-alias", "ca", "-keystore", ca, "-storepass",
                    PASSWORD, "-rfc", "-validity", "36500", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext",
                    "eku=serverAuth");
            Files.write(dir.resolve("server.pem"), signed);
            Files.write(dir.resolve("ca.pem"), run(null, keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore",
                    ca, "-storepass", PASSWORD));
            run(null, keytool, "-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(),
                    "-keystore", store, "-storepass", PASSWORD);
            run(null, keytool, "-importcert", "-alias", "server", "-file", dir.resolve("server.pem").toString(),
                    "-keystore", store, "-storepass", PASSWORD);
        }

        private static byte[] run(byte[] input, String... command) throws Exception {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (input != null) {
                try (var in = p.getOutputStream()) {
                    in.write(input);
                }
            } else {
                p.getOutputStream().close();
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + String.join(" ", new ArrayList<>(List.of(command))));
            }
            return out;
        }
    }

}
