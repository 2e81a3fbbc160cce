package io.microagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.sample.EmbeddedHub;
import io.microagent.testing.Await;
import io.microagent.testing.MessageSchema;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real IoT Hub SDK in a device JVM, the local hub (MQTT with TLS on 127.0.0.1:8883) in this one: security
 * messages ride on the application's own connection.
 */
class IotHubIT {
    static final String CONNECTION_STRING = "HostName=127.0.0.1;DeviceId=dev1;SharedAccessKey=ZGV2MS10ZXN0LWtleQ==";
    static final Path PKI = Path.of("target", "test-hub-pki");

    @TempDir
    Path dir;
    final ConcurrentLinkedQueue<EmbeddedHub.Received> received = new ConcurrentLinkedQueue<>();
    EmbeddedHub hub;
    final List<Process> devices = new ArrayList<>();

    @BeforeEach
    void hub() throws Exception {
        hub = EmbeddedHub.start(PKI.toAbsolutePath(), received::add);
    }

    @AfterEach
    void stop() {
        devices.forEach(p -> p.destroyForcibly());
        hub.stop();
    }

    /** The device application's class path: this JVM's, less the agent's own classes. */
    static String appClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).toAbsolutePath().equals(Path.of("target/classes").toAbsolutePath()))
                .collect(Collectors.joining(File.pathSeparator));
    }

    Process device(String agentArguments, String name, String... extra) throws IOException {
        return deviceOn(Jvm.javas().get(0), agentArguments, name, extra);
    }

    Process deviceOn(String java, String agentArguments, String name, String... extra) throws IOException {
        return launch(java, CONNECTION_STRING, agentArguments, name, extra);
    }

    /**
     * A device of its own id: two devices of one id take each other's connection over, on the local hub as on IoT
     * Hub, and their sends fail while they do.
     */
    Process deviceWithId(String deviceId, String agentArguments, String name) throws IOException {
        return launch(Jvm.javas().get(0), CONNECTION_STRING.replace("DeviceId=dev1", "DeviceId=" + deviceId),
                agentArguments, name);
    }

    private Process launch(String java, String connectionString, String agentArguments, String name,
            String... extra) throws IOException {
        List<String> command = new ArrayList<>(Jvm.java(java));
        if (agentArguments != null) {
            command.add("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + agentArguments);
        }
        command.addAll(List.of(extra));
        if (extra.length == 0) {
            command.addAll(List.of("-cp", appClassPath(), "io.microagent.sample.SampleDevice"));
        }
        command.addAll(List.of("--connection-string", connectionString, "--ca-file", hub.caCertificate().toString(),
                "--seconds", "0", "--interval-ms", "500"));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve(name + ".out")
                .toFile()).redirectError(dir.resolve(name + ".err").toFile()).start();
        devices.add(p);
        return p;
    }

    String agentArgs(String extra) {
        return "CollectorsCore_PriorityIntervals=1s,1s,2s,Agent_StateDirectory=" + dir.resolve("state")
                + ",Output_File=" + dir.resolve("file.jsonl") + (extra.isEmpty() ? "" : "," + extra);
    }


    List<EmbeddedHub.Received> security() {
        return received.stream().filter(EmbeddedHub.Received::isSecurityMessage).toList();
    }

    List<EmbeddedHub.Received> telemetry() {
        return received.stream().filter(r -> !r.isSecurityMessage()).toList();
    }

    /** Event ids of the messages the agent also wrote to its file: the reference for "nothing lost". */
    Set<String> eventIds(Stream<String> messages) {
        Set<String> ids = new HashSet<>();
        messages.forEach(m -> MessageSchema.parse(m.getBytes(StandardCharsets.UTF_8)).get("Events")
                .forEach(e -> ids.add(e.get("Id").asText())));
        return ids;
    }

    Set<String> fileIds() throws IOException {
        Path file = dir.resolve("file.jsonl");
        return Files.exists(file) ? eventIds(Files.readAllLines(file).stream()) : Set.of();
    }

    Set<String> hubIds() {
        return eventIds(security().stream().map(EmbeddedHub.Received::payload));
    }

    static List<String> javas() {
        return Jvm.javas();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void fromStartUpSecurityMessagesRideOnTheApplicationsConnection(String java) throws Exception {
        Process device = deviceOn(java, agentArgs(""), "device");
        Await.until("two security messages and five telemetry messages", 60,
                () -> security().size() >= 2 && telemetry().size() >= 5);
        for (EmbeddedHub.Received m : security()) {
            assertEquals("dev1", m.deviceId());
            assertEquals("urn:azureiot:Security:SecurityAgent:1", m.properties().get("$.ifid"));
            assertEquals("application/json", m.properties().get("$.ct"));
            assertEquals(List.of(), MessageSchema.violations(m.payload().getBytes(StandardCharsets.UTF_8)));
        }
        List<Integer> seqs = new ArrayList<>();
        for (EmbeddedHub.Received t : telemetry()) {
            assertFalse(t.properties().containsKey("$.ifid"));
            assertEquals("thermometer 1", t.properties().get("sensor"));
            assertEquals("application/json", t.properties().get("$.ct"));
            JsonNode reading = MessageSchema.parse(t.payload().getBytes(StandardCharsets.UTF_8));
            seqs.add(reading.get("seq").asInt());
        }
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "the application's telemetry arrives unchanged and in order: " + seqs);
        }
        Await.until("every message written to the file also at the hub", 30, () -> {
            try {
                return !fileIds().isEmpty() && hubIds().containsAll(fileIds());
            } catch (IOException e) {
                return false;
            }
        });
        device.destroy();
        assertTrue(device.waitFor(30, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @MethodSource("javas")
    void aLateAttachFindsTheOpenClientAndStatusReportsIt(String java) throws Exception {
        Process device = deviceOn(java, null, "device");
        Await.until("the device to connect", 60, () -> read("device.out").contains("device: connected"));
        Jvm.Result attach = cli("attach", String.valueOf(device.pid()), agentArgs(""));
        assertEquals(0, attach.exitCode(), attach.toString());
        boolean jep451 = Jvm.java(java).contains("--enable-native-access=ALL-UNNAMED"); // JDK 22+ in these tests
        assertEquals(jep451, attach.out().stream().anyMatch(l -> l.contains("-XX:+EnableDynamicAgentLoading")),
                "attach explains JEP 451's warning exactly when the target JVM prints one: " + attach.out());
        Await.until("a security message after the late attach", 60, () -> !security().isEmpty());
        assertEquals(List.of(), MessageSchema.violations(security().get(0).payload().getBytes(StandardCharsets.UTF_8)));
        Await.until("status to count a sent message", 30, () -> {
            try {
                return cli("status", String.valueOf(device.pid())).out().stream()
                        .anyMatch(l -> l.matches("\\s+IotHub: sent [1-9].*"));
            } catch (Exception e) {
                return false;
            }
        });
        Jvm.Result status = cli("status", String.valueOf(device.pid()));
        assertTrue(status.out().get(0).contains("running"), status.toString());
        assertTrue(status.out().stream().anyMatch(l -> l.contains("started by attach")), status.toString());
        assertTrue(status.out().stream().anyMatch(l -> l.trim().startsWith("ProcessCreate: Netlink")), status.toString());
        Jvm.Result again = cli("attach", String.valueOf(device.pid()), "Output_Stdout=true");
        assertEquals(0, again.exitCode());
        assertTrue(again.out().get(0).startsWith("an agent already runs in process " + device.pid()), again.toString());
        Jvm.Result missing = cli("status", "999999999");
        assertEquals(2, missing.exitCode());
        assertEquals("iot-micro-agent: there is no process 999999999", missing.err().get(0));
    }

    /**
     * The main job as a newcomer runs it: the sample with its own local hub prints each security message as a
     * summary and a line per payload, no line wider than the terminal, none of its libraries' logging.
     */
    @Test
    void theSamplePrintsWhatTheHubReceivesForAPerson() throws Exception {
        hub.stop(); // the sample starts its own hub on the SDK's fixed port
        List<String> command = new ArrayList<>(Jvm.java(Jvm.javas().get(0)));
        command.addAll(List.of("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + agentArgs(""), "-cp",
                appClassPath(), "io.microagent.sample.SampleDevice", "--seconds", "8", "--interval-ms", "500"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("sample.out").toFile()).redirectError(dir.resolve("sample.err").toFile());
        builder.environment().put("COLUMNS", "100");
        Process sample = builder.start();
        devices.add(sample);
        Await.until("the sample's agent running", 30, () -> {
            try {
                return Files.readString(dir.resolve("sample.err")).contains("running (-javaagent)");
            } catch (IOException e) {
                return false;
            }
        });
        for (int i = 0; i < 3; i++) {
            new ProcessBuilder("/bin/true").start().waitFor(); // something for ProcessCreate to show
        }
        assertTrue(sample.waitFor(60, TimeUnit.SECONDS), "the sample stops by itself");
        List<String> out = Files.readAllLines(dir.resolve("sample.out"));
        String all = String.join("\n", out) + "\n" + Files.readString(dir.resolve("sample.err"));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("hub <- telemetry: {")), all);
        assertTrue(out.stream().allMatch(l -> l.length() <= 100), all);
        assertFalse(all.contains("SLF4J"), all);
        // Each summary names a message the agent also wrote to its file (same bytes), followed by its lines.
        Map<Integer, JsonNode> written = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("file.jsonl"))) {
            written.put(line.getBytes(StandardCharsets.UTF_8).length, MessageSchema.parse(line.getBytes(
                    StandardCharsets.UTF_8)));
        }
        Pattern summary = Pattern.compile("hub <- security message, (\\d+) bytes, (\\d+) event\\(s\\): .*");
        int shown = 0;
        for (int i = 0; i < out.size(); i++) {
            Matcher m = summary.matcher(out.get(i));
            if (!m.matches()) {
                continue;
            }
            JsonNode message = written.get(Integer.parseInt(m.group(1)));
            assertTrue(message != null, "a message of " + m.group(1) + " bytes was written: " + all);
            assertEquals(message.get("Events").size(), Integer.parseInt(m.group(2)));
            int lines = 0;
            for (JsonNode event : message.get("Events")) {
                String name = event.get("Name").asText();
                lines += name.equals("SBoM") ? 1 : Math.max(1, event.get("Payload").size());
            }
            int j = i + 1;
            while (j < out.size() && out.get(j).startsWith("  20")) {
                j++;
            }
            assertEquals(lines, j - i - 1, "one line per payload after " + out.get(i));
            shown++;
        }
        assertTrue(shown >= 2, all);
        assertTrue(out.stream().anyMatch(l -> l.matches("  \\S+ \\S+ ProcessCreate +\\d+ (exec|fork) .*")), all);
    }

    /**
     * The shape of a device driven by cloud messages: it opens its client, sends once, then only waits. An agent
     * attached then sees no open, no send: it finds the open client through the SDK's threads and sends.
     */
    @ParameterizedTest
    @MethodSource("javas")
    void aLateAttachToAnIdleOpenClientStillSends(String java) throws Exception {
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-cp", appClassPath(), "io.microagent.sample.SampleDevice", "--connection-string",
                CONNECTION_STRING, "--ca-file", hub.caCertificate().toString(), "--seconds", "0", "--interval-ms",
                "3600000"));
        Process device = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve("device.out")
                .toFile()).redirectError(dir.resolve("device.err").toFile()).start();
        devices.add(device);
        Await.until("the device's one telemetry message", 60, () -> telemetry().size() == 1);
        Jvm.Result attach = cli("attach", String.valueOf(device.pid()), agentArgs(""));
        assertEquals(0, attach.exitCode(), attach.toString());
        Await.until("security messages from the idle client", 60, () -> !security().isEmpty());
        assertEquals(List.of(), MessageSchema.violations(security().get(0).payload().getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, telemetry().size(), "the application's own traffic is untouched");
        assertTrue(read("device.err").contains("found through the SDK's own threads"), read("device.err"));
        Await.until("the file's messages at the hub too", 30, () -> {
            try {
                return hubIds().containsAll(fileIds()) && !fileIds().isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * A well-behaved application closes its client, then exits: the window still open then reaches the hub
     * through that client before the close completes, the exit does not wait for a client that is gone, no warning
     * is printed, and the agent's temporary directory is gone with the JVM.
     */
    @Test
    void aCleanExitDeliversTheLastWindowAndLeavesNothingBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>(Jvm.java(Jvm.javas().get(0)));
        // Windows far longer than the run: only the close can send what was collected.
        command.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "="
                + "CollectorsCore_PriorityIntervals=10m,10m,10m,Agent_StateDirectory=" + dir.resolve("state"),
                "-cp", appClassPath(), "io.microagent.sample.SampleDevice", "--connection-string", CONNECTION_STRING,
                "--ca-file", hub.caCertificate().toString(), "--seconds", "6", "--interval-ms", "500"));
        Process device = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve("device.out")
                .toFile()).redirectError(dir.resolve("device.err").toFile()).start();
        devices.add(device);
        Await.until("the device to connect", 60, () -> read("device.out").contains("device: connected"));
        Await.until("the agent running", 30, () -> read("device.err").contains("running (-javaagent)"));
        String marker = "last-window-" + System.nanoTime();
        // Lives long enough to be read (a command too short-lived for /proc is reported with a blank line).
        new ProcessBuilder("/bin/sh", "-c", "sleep 0.3; : " + marker).start().waitFor();
        assertTrue(device.waitFor(60, TimeUnit.SECONDS));
        long exited = System.currentTimeMillis();
        assertTrue(hubIds().size() > 0, "security messages at the hub");
        assertTrue(security().stream().anyMatch(m -> m.payload().contains("sleep 0.3; : " + marker)),
                "the last window's ProcessCreate reached the hub: " + security().stream().map(m -> m.payload()
                        .replaceAll("(?s)\"Payload\":\\[.*?\\]\\}", "…")).toList() + "\n" + read("device.err"));
        Matcher closed = Pattern.compile("device: client closed in (\\d+) ms, at (\\d+)").matcher(read("device.out"));
        assertTrue(closed.find(), read("device.out"));
        long closeMs = Long.parseLong(closed.group(1));
        long closeToExitMs = exited - Long.parseLong(closed.group(2));
        System.out.println("clean exit: the application's close took " + closeMs + " ms, close to exit "
                + closeToExitMs + " ms");
        assertTrue(closeMs < 1_500, "the close waits about a second at most: " + closeMs + " ms");
        assertTrue(closeToExitMs < 1_000, "the exit does not wait the shutdown bound for a closed client: "
                + closeToExitMs + " ms");
        // At most an info that the report made at exit waits on disk for the next start: no warning.
        assertFalse(read("device.err").contains("warning:"), read("device.err"));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("iot-micro-agent"))
                    .toList(), "nothing of the agent's left in the temporary directory");
        }
    }

    /** An application that never has an IoT Hub client: nothing spooled for IoT Hub, no warning at exit. */
    @Test
    void withoutAnyClientNothingIsSpooledAndExitsDoNotWarn() throws Exception {
        Path state = dir.resolve("state");
        for (int run = 0; run < 2; run++) {
            List<String> command = new ArrayList<>(Jvm.java(Jvm.javas().get(0)));
            command.addAll(List.of("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=CollectorsCore_PriorityIntervals"
                    + "=1s,1s,1s,Agent_StateDirectory=" + state + ",Output_File=" + dir.resolve("file" + run + ".jsonl"),
                    "-cp", Jvm.classPath(), IdleApp.class.getName(), "13")); // past the 10 s grace, then a normal exit
            Jvm.Result result = Jvm.run(dir, command, 60);
            assertFalse(String.join("\n", result.err()).contains("warning:"), result.err().toString());
            assertTrue(result.err().stream().anyMatch(l -> l.contains("never opened an IoT Hub client")),
                    result.err().toString());
            assertEquals(1, result.err().stream().filter(l -> l.contains("security messages for IoT Hub wait for the"
                    + " application's IoT Hub client: the application has not loaded the SDK's client")).count(),
                    "said once, with the reason: " + result.err());
            assertFalse(Files.readAllLines(dir.resolve("file" + run + ".jsonl")).isEmpty(), "the file output works");
        }
        assertFalse(Files.exists(state.resolve("outbox-iothub")) && Files.list(state.resolve("outbox-iothub"))
                .findAny().isPresent(), "no spool for IoT Hub");
    }

    @Test
    void theSdkInAChildClassLoaderIsFoundToo() throws Exception {
        device(agentArgs(""), "child", "-cp", Jvm.TEST_CLASSES.toAbsolutePath().toString(),
                ChildLoaderLauncher.class.getName(), appClassPath());
        Await.until("a security message from the child-loader application", 60, () -> !security().isEmpty());
        assertTrue(read("child.out").contains("launcher: SDK in device-app"), read("child.out"));
        assertEquals(List.of(), MessageSchema.violations(security().get(0).payload().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aHubOutageLosesNothing() throws Exception {
        device(agentArgs(""), "device");
        Await.until("a first security message", 60, () -> !security().isEmpty());
        hub.stop();
        Set<String> writtenWhileDown = new HashSet<>();
        Await.until("windows to close while the hub is down", 30, () -> {
            try {
                writtenWhileDown.addAll(fileIds());
                writtenWhileDown.removeAll(hubIds());
                return writtenWhileDown.size() >= 3;
            } catch (IOException e) {
                return false;
            }
        });
        hub.start();
        Await.until("every message, including those made during the outage, at the hub", 120, () -> {
            try {
                return hubIds().containsAll(writtenWhileDown) && hubIds().containsAll(fileIds());
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * The goal's scenario: the hub goes away, windows close meanwhile, the application is restarted while the hub
     * is still away, and the hub comes back: every window's messages arrive. The outage lasts
     * {@code -Doutage.seconds} (5 by default; 300 once for the README's figure).
     */
    @Test
    void anOutageSpanningAnApplicationRestartLosesNoWindow() throws Exception {
        long outage = Long.getLong("outage.seconds", 5);
        Process first = device(agentArgs(""), "first");
        Await.until("a first security message", 60, () -> !security().isEmpty());
        hub.stop();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(outage);
        while (System.nanoTime() < end) {
            Thread.sleep(200); // the outage itself: its length is what is being tested
        }
        first.destroy();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        Process second = device(agentArgs(""), "second");
        Await.until("the restarted application's first window", 60, () -> {
            try {
                return fileIds().size() > 0 && read("second.err").contains("running");
            } catch (IOException e) {
                return false;
            }
        });
        hub.start();
        Await.until("every window of both runs at the hub", 180, () -> {
            try {
                return hubIds().containsAll(fileIds());
            } catch (IOException e) {
                return false;
            }
        });
        System.out.println("outage of " + outage + " s across a restart: " + fileIds().size() + " events written, all "
                + "delivered");
        second.destroy();
    }

    @Test
    void unsentMessagesWaitOnDiskAcrossARestart() throws Exception {
        hub.stop(); // no hub while the first run lives: its client never opens
        Process first = device(agentArgs(""), "first");
        Await.until("messages written during the first run", 60, () -> {
            try {
                return fileIds().size() >= 3;
            } catch (IOException e) {
                return false;
            }
        });
        first.destroy(); // SIGTERM: the shutdown hook flushes what it can; IoT Hub's part stays on disk
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        Path spool = dir.resolve("state").resolve("outbox-iothub");
        try (Stream<Path> files = Files.list(spool)) {
            List<Path> kept = files.filter(f -> f.toString().endsWith(".json")).toList();
            assertFalse(kept.isEmpty(), "unsent messages kept on disk");
            for (Path f : kept) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(f)));
            }
        }
        Set<String> fromFirstRun = fileIds();
        assertTrue(read("first.err").contains("kept in " + spool), read("first.err"));
        hub.start();
        device(agentArgs(""), "second");
        Await.until("the first run's messages at the hub after the restart", 90,
                () -> hubIds().containsAll(fromFirstRun));
    }

    /**
     * A device killed during an outage leaves messages in its own spool directory; two devices started on the same
     * state directory race for them: each arrives exactly once.
     */
    @Test
    void aDeadJvmsSpooledMessagesAreSentOnceByTwoSurvivors() throws Exception {
        Process dead = device(agentArgs(""), "dead");
        Await.until("a first security message", 60, () -> !security().isEmpty());
        hub.stop();
        Path spool = dir.resolve("state").resolve("outbox-iothub");
        Path own = spool.resolve(String.valueOf(dead.pid()));
        Await.until("three messages held in the dead device's own spool directory", 60,
                () -> spooled(own).size() >= 3);
        dead.destroyForcibly(); // SIGKILL: nothing flushed, nothing handed back
        assertTrue(dead.waitFor(30, TimeUnit.SECONDS));
        Set<String> left = eventIds(spooled(spool).stream().map(this::text));
        assertFalse(left.isEmpty());
        int before = security().size();
        hub.start();
        deviceWithId("dev-a", agentArgs(""), "a");
        deviceWithId("dev-b", agentArgs(""), "b");
        Await.until("every message the dead device left, at the hub", 90, () -> hubIds().containsAll(left));
        for (Process p : devices) {
            p.destroy(); // clean exits: anything still to come arrives now or stays on disk
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        Map<String, Integer> times = new HashMap<>();
        security().stream().skip(before).forEach(m -> MessageSchema.parse(m.payload().getBytes(StandardCharsets.UTF_8))
                .get("Events").forEach(e -> times.merge(e.get("Id").asText(), 1, Integer::sum)));
        for (String id : left) {
            assertEquals(1, times.get(id), "event " + id + " of the dead device's spool arrived once");
        }
        assertTrue(read("a.err").contains("queued again") || read("b.err").contains("queued again"));
    }

    /**
     * A service without an IoT Hub client collects for the host (it started first); a device application on the same
     * state directory has a client: the service's executions reach the hub through it, once each.
     */
    @Test
    void aCollectorWithoutAClientSendsThroughAnotherAgentsClient() throws Exception {
        List<String> command = new ArrayList<>(Jvm.java(Jvm.javas().get(0)));
        command.addAll(List.of("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + agentArgs("").replace(
                "file.jsonl", "service.jsonl"), "-cp", Jvm.classPath(), IdleApp.class.getName()));
        Process service = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve("service.out")
                .toFile()).redirectError(dir.resolve("service.err").toFile()).start();
        devices.add(service);
        Await.until("the service's agent collecting for the host", 60,
                () -> read("service.err").contains("ProcessCreate: "));
        device(agentArgs(""), "device");
        Await.until("the device's agent reporting only its own JVM", 60,
                () -> read("device.err").contains("collects for the host (it holds "));
        Await.until("a first security message", 60, () -> !security().isEmpty());
        String marker = "0.000" + Math.abs(java.util.UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L);
        for (int i = 0; i < 20; i++) {
            assertTrue(new ProcessBuilder("/bin/sleep", "0.02", marker).start().waitFor(10, TimeUnit.SECONDS));
        }
        Await.until("the service's 20 executions at the hub, through the device's client", 90,
                () -> hubHits("/bin/sleep 0.02 " + marker) >= 20);
        for (Process p : devices) {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(20, hubHits("/bin/sleep 0.02 " + marker), "each execution once");
        assertFalse(read("service.err").contains("warning:"), read("service.err"));
    }

    /** Exec hit counts of a command line in the security messages at the hub. */
    long hubHits(String commandLine) {
        long hits = 0;
        for (EmbeddedHub.Received m : security()) {
            for (JsonNode event : MessageSchema.parse(m.payload().getBytes(StandardCharsets.UTF_8)).get("Events")) {
                if (event.get("Name").asText().equals("ProcessCreate")) {
                    for (JsonNode p : event.get("Payload")) {
                        if (p.get("CommandLine").asText().equals(commandLine) && p.get("Type").asText().equals("exec")) {
                            hits += p.get("HitCount").asLong();
                        }
                    }
                }
            }
        }
        return hits;
    }

    static List<Path> spooled(Path directory) {
        try (Stream<Path> tree = Files.walk(directory)) {
            return tree.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Jvm.Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path work = Files.createTempDirectory(dir, "cli");
        return Jvm.run(work, command, 60);
    }

    String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }
}
