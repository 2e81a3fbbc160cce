package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.e2e.ClashApp;
import io.microagent.testing.KernelTests;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audit mode in a real JVM with -javaagent: the audit configuration is put back however the JVM ends. */
class AuditRestoreIT {
    static final Path AGENT_JAR = Path.of(System.getProperty("agent.jar", "target/iot-micro-agent.jar"));

    @TempDir
    Path dir;

    @BeforeEach
    void root() {
        KernelTests.requireRoot();
    }

    record Audit(AuditStatus status, List<byte[]> rules) {
        static Audit now() throws Exception {
            try (AuditControl control = new AuditControl(List.of(), Optional.empty())) {
                return new Audit(control.status(), control.listRules());
            }
        }

        void assertSameAs(Audit before) {
            assertEquals(before.status.enabled(), status.enabled(), "enabled");
            assertEquals(before.status.backlogLimit(), status.backlogLimit(), "backlog_limit");
            assertEquals(before.status.pid(), status.pid(), "audit daemon pid");
            assertEquals(before.rules.size(), rules.size(), "rules");
            for (int i = 0; i < rules.size(); i++) {
                assertArrayEquals(before.rules.get(i), rules.get(i));
            }
        }
    }

    ProcessBuilder app(Path state, String mode) {
        String cp = System.getProperty("test.classes", "target/test-classes");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + AGENT_JAR.toAbsolutePath() + "=Process_Mode=4,Agent_StateDirectory=" + state
                        + ",CollectorsCore_PriorityIntervals=30d,30d,30d",
                "-cp", cp + File.pathSeparator + jars(), ClashApp.class.getName(), dir.resolve("none.jsonl").toString(),
                mode, "60"));
        return new ProcessBuilder(command).directory(dir.toFile());
    }

    static String jars() {
        try (var files = Files.list(Path.of(System.getProperty("clash.lib", "target/clash-lib")))) {
            return String.join(File.pathSeparator, files.map(Path::toString).sorted().toList());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNormalExitWithoutStoppingTheAgentPutsTheAuditConfigurationBack() throws Exception {
        Audit before = Audit.now();
        Process p = app(dir.resolve("state"), "none").redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err")));
        assertTrue(Files.readString(dir.resolve("err")).contains("Audit mode: "), Files.readString(dir.resolve("err")));
        Audit.now().assertSameAs(before);
    }

    @Test
    void aKilledRunIsPutRightByTheNextRun() throws Exception {
        Audit before = Audit.now();
        Path state = dir.resolve("state");
        Process killed = app(state, "hang").redirectOutput(dir.resolve("out1").toFile())
                .redirectError(dir.resolve("err1").toFile()).start();
        Path changes = state.resolve(AuditControl.CHANGES_FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(changes) && Files.readString(changes).contains("\"registered\":true")
                && Files.readString(dir.resolve("out1")).contains("hanging")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(changes).contains("\"registered\":true"), Files.readString(dir.resolve("err1")));
        killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertTrue(Audit.now().rules.size() > before.rules.size(), "a killed agent cannot clean up");

        Process next = app(state, "none").redirectOutput(dir.resolve("out2").toFile())
                .redirectError(dir.resolve("err2").toFile()).start();
        assertTrue(next.waitFor(60, TimeUnit.SECONDS));
        String err = Files.readString(dir.resolve("err2"));
        assertEquals(0, next.exitValue(), err);
        assertTrue(err.contains("a previous run ended without restoring the audit configuration"), err);
        Audit.now().assertSameAs(before);
        assertTrue(!Files.exists(changes));
    }
}
