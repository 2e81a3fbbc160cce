package io.microagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.sample.EmbeddedHub;
import io.microagent.testing.Await;
import io.microagent.testing.MessageSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's keys from the application's device twin (desired {@code iotMicroAgent}), with the real SDK against
 * the local hub, which answers twin requests as IoT Hub does over MQTT.
 */
class TwinConfigurationIT {
    static final String DEVICE = "dev1";

    @TempDir
    Path dir;
    final ConcurrentLinkedQueue<EmbeddedHub.Received> received = new ConcurrentLinkedQueue<>();
    EmbeddedHub hub;
    final List<Process> devices = new ArrayList<>();

    @BeforeEach
    void hub() throws Exception {
        hub = EmbeddedHub.start(IotHubIT.PKI.toAbsolutePath(), received::add);
    }

    @AfterEach
    void stop() {
        devices.forEach(Process::destroyForcibly);
        hub.stop();
    }

    /**
     * The device application with the agent; intervals come from a Config_File (below the twin) so that the twin may
     * change them; what the agent's arguments set is pinned.
     */
    Process device(String name, String agentArguments, String... deviceOptions) throws IOException {
        Path configFile = dir.resolve("agent.conf");
        if (!Files.exists(configFile)) {
            Files.writeString(configFile, "{\"CollectorsCore_PriorityIntervals\": \"1s,1s,2s\"}\n");
        }
        List<String> command = new ArrayList<>(Jvm.java(Jvm.javas().get(0)));
        if (agentArguments != null) {
            command.add("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + arguments(agentArguments));
        }
        command.addAll(List.of("-cp", IotHubIT.appClassPath(), "io.microagent.sample.SampleDevice",
                "--connection-string", IotHubIT.CONNECTION_STRING, "--ca-file", hub.caCertificate().toString(),
                "--seconds", "0", "--interval-ms", "500"));
        command.addAll(List.of(deviceOptions));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve(name + ".out")
                .toFile()).redirectError(dir.resolve(name + ".err").toFile()).start();
        devices.add(p);
        return p;
    }

    String arguments(String extra) {
        return "Config_File=" + dir.resolve("agent.conf") + ",Agent_StateDirectory=" + dir.resolve("state")
                + ",Output_File=" + dir.resolve("file.jsonl") + (extra.isEmpty() ? "" : "," + extra);
    }

    String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    /** The RemoteConfiguration payloads the hub received, oldest first. */
    List<JsonNode> reports() {
        List<JsonNode> all = new ArrayList<>();
        for (EmbeddedHub.Received m : received) {
            if (!m.isSecurityMessage()) {
                continue;
            }
            byte[] bytes = m.payload().getBytes(StandardCharsets.UTF_8);
            assertEquals(List.of(), MessageSchema.violations(bytes));
            for (JsonNode e : MessageSchema.parse(bytes).get("Events")) {
                if (e.get("Name").asText().equals("RemoteConfiguration")) {
                    all.add(e.get("Payload").get(0));
                }
            }
        }
        return all;
    }

    JsonNode reportFor(long version) {
        return reports().stream().filter(r -> r.path("DesiredVersion").asLong() == version).reduce((a, b) -> b)
                .orElse(null);
    }

    JsonNode awaitReport(long version) throws InterruptedException {
        try {
            Await.until("the agent's RemoteConfiguration for desired $version " + version + " at the hub", 60,
                    () -> reportFor(version) != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the device's stderr:\n" + read("device.err"), e);
        }
        return reportFor(version);
    }

    static String key(JsonNode report, String key, String field) {
        for (JsonNode k : report.get("Keys")) {
            if (k.get("Key").asText().equals(key)) {
                return k.get(field).asText();
            }
        }
        return null;
    }

    /** Events of {@code name} at the hub since message {@code from}. */
    long eventsSince(int from, String name) {
        return received.stream().skip(from).filter(EmbeddedHub.Received::isSecurityMessage)
                .flatMap(m -> {
                    List<JsonNode> events = new ArrayList<>();
                    MessageSchema.parse(m.payload().getBytes(StandardCharsets.UTF_8)).get("Events")
                            .forEach(events::add);
                    return events.stream();
                }).filter(e -> e.get("Name").asText().equals(name)).count();
    }

    @Test
    void aDesiredPatchChangesAnIntervalAndTurnsACollectorOffInAnApplicationThatNeverUsesItsTwin() throws Exception {
        device("device", "");
        JsonNode first = awaitReport(1); // read at start: the agent subscribed for an application without twin use
        assertEquals("success", first.get("LatestState").asText());
        assertTrue(read("device.err").contains("the application does not use its device twin: the agent subscribes"),
                read("device.err"));
        assertTrue(eventsSince(0, "Heartbeat") > 0);
        long version = hub.desired(DEVICE, "{\"iotMicroAgent\":{\"CollectorsCore_PriorityIntervals\":\"1s,1s,3s\","
                + "\"Heartbeat_Disabled\":true}}");
        JsonNode applied = awaitReport(version);
        assertEquals("success", applied.get("LatestState").asText());
        assertEquals("[PT1S, PT1S, PT3S]", key(applied, "CollectorsCore_PriorityIntervals", "Value"));
        assertTrue(key(applied, "CollectorsCore_PriorityIntervals", "Source").startsWith("device twin desired"),
                applied.toString());
        assertEquals("true", key(applied, "Heartbeat_Disabled", "Value"));
        assertTrue(read("device.err").contains("device twin desired $version " + version + " (desired patch): changed "
                + "CollectorsCore_PriorityIntervals, Heartbeat_Disabled"), read("device.err"));
        int mark = received.size();
        Await.until("two Low windows after the change", 30, () -> eventsSince(mark, "MessageStatistics") >= 2);
        assertEquals(0, eventsSince(mark, "Heartbeat"), "the Heartbeat collector is off");
        Jvm.Result status = Jvm.run(dir, List.of(Jvm.javas().get(0), "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(),
                "status", String.valueOf(devices.get(0).pid())), 60);
        String text = String.join("\n", status.out());
        assertTrue(text.contains("CollectorsCore_PriorityIntervals from device twin desired"), text);
        assertFalse(text.contains("Heartbeat;"), "not in the pipeline any more: " + text);
    }

    @Test
    void anInvalidValueIsReportedAndChangesNothing() throws Exception {
        device("device", "");
        awaitReport(1);
        long version = hub.desired(DEVICE, "{\"iotMicroAgent\":{\"Process_CacheSize\":\"lots\","
                + "\"Agent_StateDirectory\":\"/tmp/elsewhere\",\"Process_CacheSiz\":5}}");
        JsonNode report = awaitReport(version);
        assertEquals("failed", report.get("LatestState").asText());
        List<String> invalid = new ArrayList<>();
        report.get("LatestInvalidFields").forEach(f -> invalid.add(f.get("Key").asText() + ": " + f.get("Reason")
                .asText()));
        assertEquals(3, invalid.size(), invalid.toString());
        assertTrue(invalid.contains("Agent_StateDirectory: is set on the device only"), invalid.toString());
        assertTrue(invalid.stream().anyMatch(i -> i.startsWith("Process_CacheSize: is not accepted: expected")),
                invalid.toString());
        assertTrue(invalid.stream().anyMatch(i -> i.startsWith("Process_CacheSiz: is not a known key (did you mean "
                + "Process_CacheSize?)")), invalid.toString());
        assertEquals(null, key(report, "Process_CacheSize", "Value"), "still at its default");
        assertTrue(read("device.err").contains("configuration: Process_CacheSize=lots (device twin desired iotMicroAgent,"
                + " $version " + version + ") is not accepted"), read("device.err"));
    }

    /**
     * The application subscribes to its desired properties before the agent is attached; every patch reaches its
     * callback, before and after the attach, and the agent reads its keys from the same patches.
     */
    @Test
    void anApplicationThatSubscribesGetsEveryPatchBeforeAndAfterTheAgentIsAttached() throws Exception {
        Process app = device("device", null, "--twin", "subscribe");
        Await.until("the application's subscription", 60, () -> read("device.out").contains("subscribed to desired"));
        long before = hub.desired(DEVICE, "{\"setPoint\":21}");
        Await.until("patch " + before + " at the application", 30,
                () -> read("device.out").contains("desired patch $version " + before));
        Jvm.Result attach = Jvm.run(dir, List.of(Jvm.javas().get(0), "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(),
                "attach", String.valueOf(app.pid()), arguments("")), 60);
        assertEquals(0, attach.exitCode(), attach.toString());
        awaitReport(before); // the agent read the twin through the application's own subscription
        assertFalse(read("device.err").contains("the agent subscribes"), read("device.err"));
        long withKeys = hub.desired(DEVICE, "{\"setPoint\":22,\"iotMicroAgent\":{\"Process_CacheSize\":1024}}");
        JsonNode report = awaitReport(withKeys);
        assertEquals("1024", key(report, "Process_CacheSize", "Value"));
        long after = hub.desired(DEVICE, "{\"setPoint\":23}");
        Await.until("patches " + withKeys + " and " + after + " at the application", 30,
                () -> read("device.out").contains("desired patch $version " + withKeys)
                        && read("device.out").contains("desired patch $version " + after));
    }

    /**
     * The agent subscribed for an application that did not (10 s after its client opened); the application then
     * subscribes itself: it holds the subscription from then on and gets every patch, and the agent still reads
     * its keys from them.
     */
    @Test
    void anApplicationThatSubscribesAfterTheAgentDidGetsEveryPatch() throws Exception {
        device("device", "", "--twin", "subscribe", "--twin-after-ms", "16000");
        Await.until("the agent's own subscription", 60, () -> read("device.err").contains("the agent subscribes"));
        Await.until("the application's subscription", 60, () -> read("device.out").contains("subscribed to desired"));
        long version = hub.desired(DEVICE, "{\"setPoint\":20,\"iotMicroAgent\":{\"Process_CacheSize\":640}}");
        Await.until("patch " + version + " at the application", 30,
                () -> read("device.out").contains("desired patch $version " + version));
        assertEquals("640", key(awaitReport(version), "Process_CacheSize", "Value"));
    }

    /** Audit mode changed the audit configuration; the twin moves the agent to Netlink: all of it is put back. */
    @Test
    void leavingAuditModeThroughTheTwinPutsTheAuditConfigurationBack() throws Exception {
        io.microagent.testing.KernelTests.requireRoot();
        String before = io.microagent.collect.process.AuditSnapshot.take();
        Files.writeString(dir.resolve("agent.conf"), "{\"CollectorsCore_PriorityIntervals\": \"1s,1s,2s\","
                + " \"Process_Mode\": 4}");
        device("device", "");
        Await.until("Audit mode", 60, () -> read("device.err").contains("Audit mode"));
        awaitReport(1);
        long version = hub.desired(DEVICE, "{\"iotMicroAgent\":{\"Process_Mode\":2}}");
        awaitReport(version);
        assertTrue(read("device.err").contains("changed Process_Mode"), read("device.err"));
        assertTrue(read("device.err").contains("Netlink mode (Process_Mode=2)"), read("device.err"));
        assertEquals(before, io.microagent.collect.process.AuditSnapshot.take(), "put back when Audit mode was left");
    }

    /**
     * The application updates its reported properties with their $version as a precondition (as the SDK's
     * DeviceTwinSample does): each update keeps succeeding while the agent reads the twin and applies a patch.
     */
    @Test
    void reportedPropertyUpdatesWithTheirVersionKeepSucceeding() throws Exception {
        device("device", "", "--twin", "report");
        try {
            Await.until("the application's reported updates", 60, () -> hub.reportedPatches().size() >= 3);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nhub: " + hub.twinRequests() + "\n" + hub.reportedPatches()
                    + "\ndevice: " + read("device.out").lines().filter(l -> !l.contains("telemetry")).toList()
                    + "\nagent: " + read("device.err"), e);
        }
        long version = hub.desired(DEVICE, "{\"iotMicroAgent\":{\"NetworkActivity_CacheSize\":300}}");
        awaitReport(version);
        int seen = hub.reportedPatches().size();
        try {
            Await.until("more reported updates after the agent's twin reads", 30,
                    () -> hub.reportedPatches().size() >= seen + 5);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nhub: " + hub.twinRequests() + "\n" + hub.reportedPatches()
                    + "\ndevice: " + read("device.out").lines().filter(l -> !l.contains("telemetry")).toList(), e);
        }
        for (EmbeddedHub.ReportedPatch patch : hub.reportedPatches()) {
            assertEquals(204, patch.status(), "every reported update succeeded: " + hub.reportedPatches());
            assertFalse(patch.body().contains("iotMicroAgent"), "the agent never writes reported properties");
        }
        assertFalse(read("device.out").contains("update failed"), read("device.out"));
        // SDK 2.5.0 loses the reply to one of two twin requests in flight at once, and the application's are one at a
        // time: a request that came while another waited for its answer was the agent's crossing the application's.
        // (The SDK also loses a reply now and then with no agent at all, about one run in six here, so the
        // application's own timeouts are not what is asserted.)
        assertEquals(0, hub.crossingTwinRequests(), read("device.out") + "\nhub: " + hub.twinRequests()
                + "\nagent: " + read("device.err"));
        assertFalse(read("device.out").contains("reading the twin failed"), read("device.out"));
        System.out.println("reported updates: " + hub.reportedPatches().size() + " answered 204");
    }

    @Test
    void aRestartUsesTheLastGoodConfigurationWhileTheHubIsDown() throws Exception {
        Process first = device("first", "");
        awaitReport(1);
        long version = hub.desired(DEVICE, "{\"iotMicroAgent\":{\"Process_CacheSize\":777}}");
        awaitReport(version);
        first.destroy();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        hub.stop();
        Files.deleteIfExists(dir.resolve("file.jsonl"));
        device("second", "");
        Await.until("the kept configuration applied at start", 60, () -> read("second.err").contains(
                "device twin desired $version " + version + " (kept in "));
        Await.until("a RemoteConfiguration event in the file output", 60, () -> read("file.jsonl")
                .contains("\"Process_CacheSize\",\"Value\":\"777\""));
        assertTrue(read("second.err").contains("until the twin is read): Process_CacheSize"), read("second.err"));
    }
}
