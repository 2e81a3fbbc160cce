package io.microagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.sample.EmbeddedHub;
import io.microagent.testing.MessageSchema;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
        List<String> command = new ArrayList<>(Jvm.java(java));
        if (agentArguments != null) {
            command.add("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + agentArguments);
        }
        command.addAll(List.of(extra));
        if (extra.length == 0) {
            command.addAll(List.of("-cp", appClassPath(), "io.microagent.sample.SampleDevice"));
        }
        command.addAll(List.of("--connection-string", CONNECTION_STRING, "--ca-file", hub.caCertificate().toString(),
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

    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
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
        await("two security messages and five telemetry messages", 60,
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
        await("every message written to the file also at the hub", 30, () -> {
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
        await("the device to connect", 60, () -> read("device.out").contains("device: connected"));
        Jvm.Result attach = cli("attach", String.valueOf(device.pid()), agentArgs(""));
        assertEquals(0, attach.exitCode(), attach.toString());
        boolean jep451 = Jvm.java(java).contains("--enable-native-access=ALL-UNNAMED"); // JDK 22+ in these tests
        assertEquals(jep451, attach.out().stream().anyMatch(l -> l.contains("-XX:+EnableDynamicAgentLoading")),
                "attach explains JEP 451's warning exactly when the target JVM prints one: " + attach.out());
        await("a security message after the late attach", 60, () -> !security().isEmpty());
        assertEquals(List.of(), MessageSchema.violations(security().get(0).payload().getBytes(StandardCharsets.UTF_8)));
        await("status to count a sent message", 30, () -> {
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

    @Test
    void theSdkInAChildClassLoaderIsFoundToo() throws Exception {
        device(agentArgs(""), "child", "-cp", Jvm.TEST_CLASSES.toAbsolutePath().toString(),
                ChildLoaderLauncher.class.getName(), appClassPath());
        await("a security message from the child-loader application", 60, () -> !security().isEmpty());
        assertTrue(read("child.out").contains("launcher: SDK in device-app"), read("child.out"));
        assertEquals(List.of(), MessageSchema.violations(security().get(0).payload().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aHubOutageLosesNothing() throws Exception {
        device(agentArgs(""), "device");
        await("a first security message", 60, () -> !security().isEmpty());
        hub.stop();
        Set<String> writtenWhileDown = new HashSet<>();
        await("windows to close while the hub is down", 30, () -> {
            try {
                writtenWhileDown.addAll(fileIds());
                writtenWhileDown.removeAll(hubIds());
                return writtenWhileDown.size() >= 3;
            } catch (IOException e) {
                return false;
            }
        });
        hub.start();
        await("every message, including those made during the outage, at the hub", 120, () -> {
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
        await("a first security message", 60, () -> !security().isEmpty());
        hub.stop();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(outage);
        while (System.nanoTime() < end) {
            Thread.sleep(200); // the outage itself: its length is what is being tested
        }
        first.destroy();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        Process second = device(agentArgs(""), "second");
        await("the restarted application's first window", 60, () -> {
            try {
                return fileIds().size() > 0 && read("second.err").contains("running");
            } catch (IOException e) {
                return false;
            }
        });
        hub.start();
        await("every window of both runs at the hub", 180, () -> {
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
        await("messages written during the first run", 60, () -> {
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
            List<Path> kept = files.toList();
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
        await("the first run's messages at the hub after the restart", 90,
                () -> hubIds().containsAll(fromFirstRun));
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
