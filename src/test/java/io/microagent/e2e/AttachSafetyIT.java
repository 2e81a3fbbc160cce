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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code attach} and {@code status} never signal a process that is not a running JVM that can take the signal:
 * a process that keeps SIGQUIT's default action (it would die), a zombie, a JVM with attach disabled (it would
 * print a thread dump). Each is refused with a line naming it, and each survives. (Another user's process:
 * AgentEndToEndIT.theCommandLineListsJvmsAndRefusesClearly.)
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

    /**
     * Every warning the target JVM prints as the agent loads is named by attach's notes, with the flag that
     * silences it; a JVM started with those flags prints none and gets no note.
     */
    @ParameterizedTest
    @MethodSource("javas")
    void attachNamesEveryWarningTheTargetWillPrint(String java) throws Exception {
        for (boolean quiet : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of(java));
            String name = quiet ? "quiet" : "plain";
            if (quiet) {
                command.addAll(List.of("-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED"));
            }
            if (quiet && java.equals(Jvm.javas().get(0)) && Runtime.version().feature() < 22) {
                command.remove("--enable-native-access=ALL-UNNAMED"); // not an option before JDK 22 (and not needed)
            }
            command.addAll(List.of("-cp", Jvm.TEST_CLASSES.toAbsolutePath().toString(), IdleApp.class.getName()));
            Process app = start(command, name);
            Await.until("the JVM ready", () -> read(name + ".out").contains("ready"));
            Jvm.Result attach = cli(java, "attach", Long.toString(app.pid()), "Output_IotHub=Off,Agent_StateDirectory="
                    + dir.resolve("state-" + name));
            assertEquals(0, attach.exitCode(), attach.toString());
            Await.until("the agent running", () -> read(name + ".err").contains("running (attached)"));
            List<String> flags = new ArrayList<>();
            Matcher m = Pattern.compile("(-XX:\\+\\w+|--enable-native-access=\\S+)")
                    .matcher(String.join("\n", read(name + ".err").lines().filter(l -> l.startsWith("WARNING:"))
                            .toList()));
            while (m.find()) {
                flags.add(m.group(1));
            }
            String notes = String.join("\n", attach.out());
            for (String flag : flags) {
                assertTrue(notes.contains(flag), "attach names " + flag + ", which the target printed: " + notes);
            }
            assertEquals(flags.isEmpty(), !notes.contains("note:"), notes + "\n" + read(name + ".err"));
            if (quiet) {
                assertEquals(List.of(), flags, read(name + ".err"));
            }
            app.destroyForcibly();
        }
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }
}
