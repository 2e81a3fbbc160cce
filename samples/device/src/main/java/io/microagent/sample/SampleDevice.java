package io.microagent.sample;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.ReportedPropertiesUpdateResponse;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.net.ssl.SSLContext;

/**
 * A small device application: a DeviceClient that sends a temperature reading every few seconds. With no
 * connection string it starts a local stand-in for IoT Hub in this JVM and prints what the hub receives, so the
 * agent's security messages can be seen arriving beside the telemetry.
 *
 * <pre>
 * SampleDevice [--connection-string CS] [--ca-file PEM] [--seconds N] [--interval-ms N] [--json]
 *              [--twin none|subscribe|report] [--twin-after-ms N]
 * </pre>
 * {@code --connection-string} (or IOTHUB_DEVICE_CONNECTION_STRING) talks to that hub instead; {@code --ca-file}
 * trusts a test CA (the tests' local hub); {@code --seconds 0} runs until stopped. The local hub prints each
 * security message as a summary line and a line per payload, in the words of the agent's {@code show} command
 * (cut to {@code COLUMNS}, or 120); {@code --json} prints the messages as they arrive instead. With the local
 * hub, a service changes the device's desired properties 20 s after start (the agent's cache size), as an IoT
 * Hub automatic device configuration would.
 * {@code --twin subscribe} subscribes to desired properties and prints each patch; {@code --twin report} also reads
 * the twin and updates a reported property with the twin's {@code $version} at each reading, as the SDK's
 * DeviceTwinSample does; {@code --twin-after-ms} waits before either.
 */
public final class SampleDevice {
    static final String LOCAL_CONNECTION_STRING = "HostName=127.0.0.1;DeviceId=sample-device;SharedAccessKey="
            + "c2FtcGxlLWRldmljZS1rZXktbm90LWEtc2VjcmV0";

    private static boolean json;
    private static int width = 120;

    public static void main(String[] args) throws Exception {
        String connectionString = System.getenv("IOTHUB_DEVICE_CONNECTION_STRING");
        Path caFile = null;
        long seconds = 0;
        long intervalMs = 3000;
        String twinUse = "none";
        long twinAfterMs = 0;
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{2,5}")) {
            width = Integer.parseInt(columns);
        }
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--json")) {
                json = true;
                i--;
                continue;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--connection-string" -> connectionString = args[i + 1];
                case "--ca-file" -> caFile = Path.of(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--interval-ms" -> intervalMs = Long.parseLong(args[i + 1]);
                case "--twin" -> twinUse = args[i + 1];
                case "--twin-after-ms" -> twinAfterMs = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EmbeddedHub hub = null;
        SSLContext tls = caFile == null ? null : EmbeddedHub.trusting(caFile);
        if (connectionString == null) {
            hub = EmbeddedHub.start(Path.of(System.getProperty("java.io.tmpdir"), "iot-micro-agent-sample-pki"),
                    SampleDevice::print);
            tls = hub.clientContext();
            connectionString = LOCAL_CONNECTION_STRING;
            System.out.println("hub: local stand-in for IoT Hub on 127.0.0.1:" + EmbeddedHub.PORT);
        }
        ClientOptions options = tls == null ? ClientOptions.builder().build()
                : ClientOptions.builder().sslContext(tls).build();
        DeviceClient client = new DeviceClient(connectionString, IotHubClientProtocol.MQTT, options);
        client.open(true);
        System.out.println("device: connected, pid " + ProcessHandle.current().pid());
        long end = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        Random sensor = new Random();
        long twinAt = System.nanoTime() + twinAfterMs * 1_000_000L;
        boolean twinStarted = twinUse.equals("none");
        TwinCollection reported = null;
        long serviceChangeAt = hub == null ? Long.MAX_VALUE : System.nanoTime() + 20_000_000_000L;
        for (int n = 1; System.nanoTime() < end; n++) {
            if (!twinStarted && System.nanoTime() >= twinAt) {
                twinStarted = true;
                client.subscribeToDesiredProperties((twin, context) -> System.out.println("device: desired patch $version "
                        + twin.getDesiredProperties().getVersion() + " " + twin.getDesiredProperties()), null);
                System.out.println("device: subscribed to desired properties");
                if (twinUse.equals("report")) {
                    reported = readReported(client);
                }
            }
            if (twinUse.equals("report") && twinStarted && reported == null) {
                reported = readReported(client);
            }
            if (reported != null) {
                reported.put("lastReading", n);
                try {
                    ReportedPropertiesUpdateResponse response = client.updateReportedProperties(reported, TWIN_TIMEOUT_MS);
                    reported.setVersion(response.getVersion());
                    System.out.println("device: reported properties updated, $version " + response.getVersion());
                } catch (IotHubClientException e) {
                    if (e.getStatusCode().name().contains("TIMED_OUT")) {
                        // No answer (the update may have been applied): read the version again, as DeviceTwinSample
                        // users are advised to.
                        System.out.println("device: reported properties update timed out; reading the twin again");
                        reported = readReported(client);
                    } else {
                        System.out.println("device: reported properties update failed: " + e.getStatusCode() + " "
                                + e.getMessage());
                    }
                }
            }
            if (System.nanoTime() >= serviceChangeAt) {
                serviceChangeAt = Long.MAX_VALUE;
                String patch = "{\"iotMicroAgent\":{\"Process_CacheSize\":512}}";
                System.out.println("hub -> desired properties $version " + hub.desired("sample-device", patch) + ": "
                        + patch);
            }
            String reading = String.format(Locale.ROOT, "{\"temperature\":%.1f,\"seq\":%d,\"at\":\"%s\"}",
                    20 + sensor.nextGaussian(), n, Instant.now());
            Message message = new Message(reading);
            message.setContentType("application/json");
            message.setProperty("sensor", "thermometer 1");
            int seq = n;
            client.sendEventAsync(message, (sent, error, context) -> {
                if (error != null) {
                    System.out.println("device: telemetry " + seq + " failed: " + error.getMessage());
                }
            }, null);
            Thread.sleep(intervalMs);
        }
        long closing = System.nanoTime();
        client.close();
        System.out.println("device: client closed in " + (System.nanoTime() - closing) / 1_000_000 + " ms, at "
                + System.currentTimeMillis());
        System.out.println("device: done");
        if (hub != null) {
            hub.stop();
        }
    }

    private static final int TWIN_TIMEOUT_MS = 5000;

    /** The reported properties with their $version, or null when the twin did not answer in time. */
    private static TwinCollection readReported(DeviceClient client) throws InterruptedException {
        try {
            return client.getTwin(TWIN_TIMEOUT_MS).getReportedProperties();
        } catch (IotHubClientException e) {
            System.out.println("device: reading the twin failed: " + e.getStatusCode());
            return null;
        }
    }

    private static void print(EmbeddedHub.Received message) {
        if (!message.isSecurityMessage()) {
            System.out.println("hub <- telemetry: " + message.payload());
            return;
        }
        List<String> lines = json ? null : agentsView(message.payload());
        if (lines == null) {
            System.out.println("hub <- security message: " + message.payload());
            return;
        }
        lines.forEach(System.out::println);
    }

    /** The agent's own rendering when it runs in this JVM (its entry class is on the class path then). */
    private static List<String> agentsView(String message) {
        try {
            return io.microagent.entry.AgentEntry.show(message, width);
        } catch (LinkageError e) {
            return null;
        }
    }
}
