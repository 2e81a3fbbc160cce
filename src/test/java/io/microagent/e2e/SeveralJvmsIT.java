package io.microagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.collect.process.AuditSnapshot;
import io.microagent.testing.Await;
import io.microagent.testing.KernelTests;
import io.microagent.testing.MessageSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several application JVMs with the agent on one state directory (a gateway running two or three Java services):
 * one collects for the host, every execution is reported once, and another takes over when it dies.
 */
class SeveralJvmsIT {
    private static final Pattern TAKE_OVER = Pattern.compile(
            "takes over collecting for the host from process (\\d+).*running (\\d+) ms after");

    @TempDir
    Path dir;
    final List<Process> jvms = new ArrayList<>();

    @BeforeEach
    void root() {
        KernelTests.requireRoot(); // the proc connector needs root; under CI=true this never skips
    }

    @AfterEach
    void stop() {
        jvms.forEach(Process::destroyForcibly);
    }

    /** An application JVM that only waits, with the agent, writing its messages to {@code out-N.jsonl}. */
    Process app(int n, String extra) throws IOException {
        List<String> command = new ArrayList<>(Jvm.java(Jvm.javas().get(0)));
        command.add("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=CollectorsCore_PriorityIntervals=1s,1s,2s,"
                + "Agent_StateDirectory=" + dir.resolve("state") + ",Output_File=" + dir.resolve("out-" + n + ".jsonl")
                + ",Output_IotHub=Off" + (extra.isEmpty() ? "" : "," + extra));
        command.addAll(List.of("-cp", Jvm.classPath(), IdleApp.class.getName()));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("app-" + n + ".out").toFile())
                .redirectError(dir.resolve("app-" + n + ".err").toFile()).start();
        jvms.add(p);
        return p;
    }

    String err(int n) {
        try {
            return Files.readString(dir.resolve("app-" + n + ".err"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Starts {@code count} JVMs one after another; returns the index of the one that collects for the host. */
    int startJvms(int count, String extra) throws Exception {
        for (int n = 0; n < count; n++) {
            app(n, extra);
            int started = n;
            Await.until("agent " + n + " running", 60, () -> err(started).contains(" running ("));
        }
        List<Integer> collecting = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            if (err(n).contains("ProcessCreate: ")) {
                collecting.add(n);
            } else {
                assertTrue(err(n).contains("collects for the host (it holds "), err(n));
            }
        }
        assertEquals(1, collecting.size(), "one JVM collects for the host");
        return collecting.get(0);
    }

    /** A command line of its own: sleep's arguments are added up, so a unique tiny second one marks it. */
    static String marker() {
        return "0.000" + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L);
    }

    /**
     * Runs {@code count} executions of {@code /bin/sleep 0.02 MARKER}, each to its end: alive long enough for its
     * command line to be read in Netlink mode (a shorter one may be counted unread, with a blank command line).
     */
    static void storm(String marker, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Process p = new ProcessBuilder("/bin/sleep", "0.02", marker).start();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
    }

    /** Executions of the marked command line, summed over every JVM's output. */
    long hits(String marker) throws IOException {
        long hits = 0;
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("out-")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    for (JsonNode event : MessageSchema.parse(line.getBytes(StandardCharsets.UTF_8)).get("Events")) {
                        if (!event.get("Name").asText().equals("ProcessCreate")) {
                            continue;
                        }
                        for (JsonNode payload : event.get("Payload")) {
                            if (payload.get("CommandLine").asText().equals("/bin/sleep 0.02 " + marker)
                                    && payload.get("Type").asText().equals("exec")) {
                                hits += payload.get("HitCount").asLong();
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }

    long awaitHits(String marker, long expected) throws Exception {
        Await.until(expected + " executions of " + marker + " reported", 60, () -> {
            try {
                return hits(marker) >= expected;
            } catch (IOException e) {
                return false;
            }
        });
        return hits(marker);
    }

    /** Stops every JVM as an init system would (SIGTERM: each flushes its open windows), and waits for them. */
    void stopAll() throws InterruptedException {
        for (Process p : jvms) {
            p.destroy();
        }
        for (Process p : jvms) {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a JVM did not exit");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void anExecStormIsReportedExactlyOnce(int count) throws Exception {
        int collector = startJvms(count, "");
        String marker = marker();
        storm(marker, 70);
        awaitHits(marker, 70);
        stopAll(); // every open window closed and written
        assertEquals(70, hits(marker), "each execution once, whatever the number of JVMs");
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("out-")).toList()) {
                String text = Files.readString(file);
                boolean own = file.getFileName().toString().equals("out-" + collector + ".jsonl");
                assertEquals(own, text.contains(marker), file + ": only the collecting JVM reports the host");
                assertTrue(text.contains("\"Name\":\"Heartbeat\""), file + ": each JVM reports its own heartbeat");
            }
        }
    }

    @Test
    void whenTheCollectorIsKilledAnotherTakesOverWithinSeconds() throws Exception {
        int collector = startJvms(2, "");
        int other = 1 - collector;
        storm(marker(), 5); // an open window at the kill: lost with its process
        long killedAt = System.nanoTime();
        jvms.get(collector).destroyForcibly(); // SIGKILL: no shutdown hook, the kernel releases the lock
        Await.until("the other JVM to take over", 10, () -> TAKE_OVER.matcher(err(other)).find());
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        Matcher m = TAKE_OVER.matcher(err(other));
        assertTrue(m.find());
        assertEquals(String.valueOf(jvms.get(collector).pid()), m.group(1), "names the process it replaces");
        assertTrue(Long.parseLong(m.group(2)) < 5000, err(other));
        Jvm.Result status = Jvm.run(dir, List.of(Jvm.javas().get(0), "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(),
                "status", String.valueOf(jvms.get(other).pid())), 60);
        String statusText = String.join("\n", status.out());
        assertTrue(statusText.contains("collects for the host") && statusText.contains("take-overs 1"), statusText);
        String marker = marker();
        storm(marker, 30);
        awaitHits(marker, 30);
        jvms.get(other).destroy();
        assertTrue(jvms.get(other).waitFor(30, TimeUnit.SECONDS));
        assertEquals(30, hits(marker));
        System.out.println("take-over: noticed and collecting " + tookMs + " ms after the kill (" + m.group(0) + ")");
    }

    /**
     * Audit mode in two JVMs: only the collector changes the audit configuration; killed, it leaves its record, which
     * the JVM taking over puts back before it changes anything; at the end the system is as it was found.
     */
    @Test
    void auditModeInTwoJvmsLeavesTheAuditConfigurationAsFound() throws Exception {
        String before = AuditSnapshot.take();
        int collector = startJvms(2, "Process_Mode=4");
        int other = 1 - collector;
        assertTrue(err(collector).contains("Audit mode"), err(collector));
        assertTrue(!err(other).contains("Audit mode"), "the other JVM does not touch audit: " + err(other));
        jvms.get(collector).destroyForcibly();
        Await.until("the other JVM to take over in Audit mode", 20,
                () -> TAKE_OVER.matcher(err(other)).find() && err(other).contains("Audit mode"));
        assertTrue(err(other).contains("a previous run ended without restoring the audit configuration; put back"),
                err(other));
        String marker = marker();
        storm(marker, 10);
        awaitHits(marker, 10);
        jvms.get(other).destroy();
        assertTrue(jvms.get(other).waitFor(30, TimeUnit.SECONDS));
        assertEquals(10, hits(marker));
        assertEquals(before, AuditSnapshot.take(), "the audit configuration as found");
    }
}
