package io.microagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code attach} and {@code status} never signal a process that is not a running JVM that can take the signal:
 * a process that keeps SIGQUIT's default action (it would die), a zombie, another user's process, a JVM with
 * attach disabled (it would print a thread dump). Each is refused with a line naming it, and each survives.
 */
class AttachSafetyIT {
    @TempDir
    Path dir;
    final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    static List<String> javas() {
        return Jvm.javas();
    }

    Process start(List<String> command, String name) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve(name + ".out")
                .toFile()).redirectError(dir.resolve(name + ".err").toFile()).start();
        started.add(p);
        return p;
    }

    Jvm.Result cli(String java, String... args) throws Exception {
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-jar", Jvm.AGENT_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return Jvm.run(dir, command, 60);
    }

    /** What a refusal must look like: exit 2, one printable line naming the process. */
    static void assertRefused(Jvm.Result result, long pid, String what) {
        assertEquals(2, result.exitCode(), result.toString());
        String line = String.join("\n", result.err());
        assertTrue(line.startsWith("iot-micro-agent: process " + pid + " ("), line);
        assertTrue(line.contains(what), line);
        assertTrue(line.chars().allMatch(c -> c == '\n' || c >= 0x20 && c != 0x7f), "printable: " + line);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void aProgramThatDiesOfSigquitIsNeverSignalled(String java) throws Exception {
        Process sleep = start(List.of("sleep", "600"), "sleep");
        Process python = start(List.of("python3", "-c", "import time; time.sleep(600)"), "python");
        Await.until("both started", () -> started.stream().allMatch(p -> Files.exists(Path.of("/proc",
                Long.toString(p.pid()), "status"))));
        for (Process target : List.of(sleep, python)) {
            String quit = Files.readAllLines(Path.of("/proc", Long.toString(target.pid()), "status")).stream()
                    .filter(l -> l.startsWith("SigCgt:")).findFirst().orElseThrow();
            assertEquals(0, Long.parseLong(quit.substring(7).trim(), 16) & 4, "SIGQUIT keeps its default: " + quit);
            for (String command : List.of("attach", "status")) {
                assertRefused(cli(java, command, Long.toString(target.pid())), target.pid(),
                        "is not a Java virtual machine: nothing was sent to it");
            }
        }
        assertTrue(sleep.isAlive() && python.isAlive(), "both survive");
        assertFalse(sleep.waitFor(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void aZombieIsRefused() throws Exception {
        // The shell's child exits; the shell has become sleep, which never reaps it.
        Process parent = start(List.of("sh", "-c", "sleep 0 & exec sleep 600"), "zombie-parent");
        long[] zombie = new long[1];
        Await.until("a zombie child", () -> {
            zombie[0] = parent.children().findFirst().map(ProcessHandle::pid).orElse(0L);
            try {
                return zombie[0] != 0 && Files.readString(Path.of("/proc", Long.toString(zombie[0]), "status"))
                        .contains("State:\tZ");
            } catch (IOException e) {
                return false;
            }
        });
        assertRefused(cli(Jvm.javas().get(0), "attach", Long.toString(zombie[0])), zombie[0], "(a zombie)");
        assertTrue(parent.isAlive());
    }

    @Test
    void anotherUsersProcessIsRefused() throws Exception {
        Process sleep = start(List.of("sleep", "600"), "sleep");
        List<String> command = new ArrayList<>();
        long target;
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            // Root may attach anywhere: the refusal is seen from an unprivileged user against root's process.
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
            target = sleep.pid();
        } else {
            target = 1; // init, root's
        }
        command.addAll(Jvm.java(Jvm.javas().get(0)));
        command.addAll(List.of("-Djava.io.tmpdir=/tmp", "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(), "attach",
                Long.toString(target)));
        Path work = Files.createTempDirectory("attach-other-user");
        work.toFile().setWritable(true, false);
        Jvm.Result result = Jvm.run(work, command, 60);
        assertRefused(result, target, "runs as uid 0 and this command as uid ");
        assertTrue(sleep.isAlive());
    }

    @Test
    void aJvmWithAttachDisabledPrintsNoThreadDump() throws Exception {
        String java = Jvm.javas().get(0);
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-XX:+DisableAttachMechanism", "-cp", Jvm.TEST_CLASSES.toAbsolutePath().toString(),
                IdleApp.class.getName()));
        Process app = start(command, "disabled");
        Await.until("the JVM ready", () -> read("disabled.out").contains("ready"));
        assertRefused(cli(java, "attach", Long.toString(app.pid())), app.pid(), "-XX:+DisableAttachMechanism");
        assertRefused(cli(java, "status", Long.toString(app.pid())), app.pid(), "-XX:+DisableAttachMechanism");
        assertTrue(app.isAlive());
        assertFalse(read("disabled.out").contains("Full thread dump"), read("disabled.out"));
        assertFalse(cli(java, "list").out().stream().anyMatch(l -> l.startsWith(app.pid() + "\t")));
    }

    @Test
    void listShowsOnlyJvmsThatCanBeAttached() throws Exception {
        String java = Jvm.javas().get(0);
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-cp", Jvm.TEST_CLASSES.toAbsolutePath().toString(), IdleApp.class.getName()));
        Process app = start(command, "idle");
        Process sleep = start(List.of("sleep", "600"), "sleep");
        Await.until("the JVM ready", () -> read("idle.out").contains("ready"));
        List<String> listed = cli(java, "list").out();
        assertTrue(listed.stream().anyMatch(l -> l.startsWith(app.pid() + "\t")), listed.toString());
        assertFalse(listed.stream().anyMatch(l -> l.startsWith(sleep.pid() + "\t")), listed.toString());
        Jvm.Result status = cli(java, "status", Long.toString(app.pid()));
        assertEquals(1, status.exitCode(), status.toString());
        assertEquals("no agent runs in process " + app.pid(), status.out().get(0));
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }
}
