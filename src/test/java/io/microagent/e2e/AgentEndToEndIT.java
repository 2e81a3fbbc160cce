package io.microagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.testing.Await;
import io.microagent.testing.MessageSchema;
import io.microagent.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent jar in a separate JVM with -javaagent, beside an application with its own libraries. */
class AgentEndToEndIT {
    @TempDir
    Path dir;

    static List<String> javas() {
        return Jvm.javas();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void messagesFollowTheSchemaAndTheApplicationKeepsItsOwnLibraries(String java) throws Exception {
        Path file = dir.resolve("messages.jsonl");
        Path state = dir.resolve("state");
        String args = "CollectorsCore_PriorityIntervals=1s,2s,3s,Output_File=" + file + ",Agent_StateDirectory=" + state
                + ",Proces_CacheSize=5";
        Jvm.Result r = runApp(java, args, file, "Heartbeat");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.outHas("app-done"), r.toString());
        assertTrue(r.outHas("jackson-json={\"temp\":21.5,\"unit\":\"C\"}"), r.out().toString());
        assertTrue(value(r, "jackson-jar=").endsWith("jackson-databind-2.17.2.jar"), r.out().toString());
        assertTrue(value(r, "bytebuddy-jar=").endsWith("byte-buddy-1.14.12.jar"), r.out().toString());
        assertTrue(value(r, "jna-jar=").endsWith("jna-5.13.0.jar"), r.out().toString());
        assertTrue(r.outHas("bytebuddy-works=true") && r.outHas("jna-getpid=true"), r.out().toString());
        assertTrue(r.out().stream().noneMatch(l -> l.startsWith("visible=")), "agent classes leak: " + r.out());
        List<String> threads = r.out().stream().filter(l -> l.startsWith("agent-thread=")).toList();
        assertTrue(threads.stream().anyMatch(l -> l.contains("iot-micro-agent-scheduler")), threads.toString());
        assertTrue(threads.stream().allMatch(l -> l.endsWith(",daemon=true")), threads.toString());
        assertTrue(threads.stream().noneMatch(l -> l.contains("remote-configuration")),
                "no twin thread in an application without the IoT Hub SDK: " + threads);

        assertTrue(r.err().contains("[iot-micro-agent] error: configuration: Proces_CacheSize=5 (agent arguments) is not"
                + " a known key (did you mean Process_CacheSize?); ignored"), r.err().toString());
        assertTrue(r.err().stream().allMatch(l -> l.startsWith("[iot-micro-agent] ")), "stderr: " + r.err());

        List<JsonNode> messages = messages(file);
        String agentId = Files.readString(state.resolve("agent-id")).trim();
        List<String> names = new ArrayList<>();
        for (JsonNode m : messages) {
            assertEquals(agentId, m.get("AgentId").asText());
            m.get("Events").forEach(e -> names.add(e.get("Name").asText()));
        }
        assertTrue(names.contains("Heartbeat"), names.toString());
        JsonNode configError = messages.stream().flatMap(m -> stream(m.get("Events")))
                .filter(e -> e.get("Name").asText().equals("ConfigurationError")).findFirst().orElseThrow();
        assertEquals("Proces_CacheSize", configError.get("Payload").get(0).get("Key").asText());
        assertEquals("agent arguments", configError.get("Payload").get(0).get("Source").asText());

        Files.delete(file);
        Jvm.Result again = runApp(java, args, file, "Heartbeat");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(agentId, messages(file).get(0).get("AgentId").asText(), "a restart keeps the AgentId");
    }

    @ParameterizedTest
    @MethodSource("javas")
    void shutdownFlushesPendingReportsAndASecondAgentStartsNothing(String java) throws Exception {
        Path file = dir.resolve("messages.jsonl");
        String args = "CollectorsCore_PriorityIntervals=30d,30d,30d,Output_File=" + file + ",Agent_StateDirectory="
                + dir.resolve("state") + ",Agent_HostRoot=/no/such/root,IothubModule_MessageTimeout=soon"
                // What the host does meanwhile (a connection, a process) would be in the flush too: not the subject.
                + ",NetworkActivity_Disabled=true,Process_Disabled=true,Login_Disabled=true";
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + args,
                "-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=Output_Stdout=true",
                "-cp", Jvm.classPath(), ClashApp.class.getName(), file.toString(), "none", "60"));
        Jvm.Result r = Jvm.run(dir, command, 90);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.outHas("app-done"), r.toString());
        assertTrue(r.outHas("mbean-servers=0"), "the agent made the platform MBean server: " + r);
        assertTrue(r.err().stream().anyMatch(l -> l.startsWith("[iot-micro-agent] an agent already runs in this JVM")),
                r.err().toString());
        assertEquals(1, r.err().stream().filter(l -> l.contains("] info: agent ")).count(), r.err().toString());
        assertTrue(r.err().stream().anyMatch(l -> l.contains("Agent_HostRoot=/no/such/root")
                && l.contains("using the default /")), r.err().toString());
        assertTrue(r.err().stream().anyMatch(l -> l.contains("IothubModule_MessageTimeout=soon")
                && l.contains("using the default 2880")), r.err().toString());
        assertTrue(r.out().stream().noneMatch(l -> l.startsWith("{\"AgentVersion\"")),
                "the second agent's Output_Stdout must not apply");

        // No window closed while the application ran (30 d intervals: the random anchor lands in a ~1 s run
        // about once in 2.6 million): what is in the file came from the flush.
        List<JsonNode> messages = messages(file);
        assertEquals(1, messages.size());
        List<String> names = new ArrayList<>();
        messages.get(0).get("Events").forEach(e -> names.add(e.get("Name").asText()));
        assertEquals(List.of("ConfigurationError", "MessageStatistics"), names);
        assertFalse(names.contains("Heartbeat"), "snapshots are not taken at shutdown");
    }

    /**
     * Two of the JDK's and JNA's defaults cost a device over a megabyte of resident memory each: random temporary
     * names and UUIDs from SecureRandom (its provider framework), and JNA's child process running ldconfig. The
     * agent starts, draws its AgentId and message ids and makes its files without either, and leaves JNA's
     * properties as it found them for the application's own JNA.
     */
    @ParameterizedTest
    @MethodSource("javas")
    void theAgentStartsWithoutSecureRandomOrAChildProcess(String java) throws Exception {
        Path file = dir.resolve("messages.jsonl");
        Path classes = dir.resolve("classes.txt");
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-Xlog:class+load=info:file=" + classes, "-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath()
                + "=CollectorsCore_PriorityIntervals=1s,1s,1s,Output_IotHub=Off,Output_File=" + file
                + ",Agent_StateDirectory=" + dir.resolve("state"), "-cp", Jvm.TEST_CLASSES.toAbsolutePath().toString(),
                IdleApp.class.getName()));
        Process app = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("app.out").toFile()).start();
        try {
            Await.until("a Heartbeat in " + file, 60, () -> {
                try {
                    return Files.exists(file) && Files.readString(file).contains("\"Name\":\"Heartbeat\"");
                } catch (IOException e) {
                    return false;
                }
            });
            assertTrue(Files.exists(dir.resolve("state").resolve("agent-id")));
            messages(file); // each follows the schema, its event ids UUIDs
        } finally {
            app.destroyForcibly().waitFor();
        }
        List<String> loaded = Files.readAllLines(classes).stream().map(l -> l.replaceAll("^\\S+ (\\S+) .*$", "$1"))
                .toList();
        assertTrue(loaded.contains("com.sun.jna.NativeLibrary"), "JNA started: " + loaded.size() + " classes");
        assertFalse(loaded.contains("java.security.SecureRandom"), "SecureRandom loaded");
        assertFalse(loaded.contains("java.lang.ProcessBuilder"), "a child process was started (JNA's ldconfig)");
    }

    /** A loopback connection made while the application runs: seen from both ends, with its bytes. */
    @ParameterizedTest
    @MethodSource("javas")
    void connectionsOfTheHostArriveInTheSchema(String java) throws Exception {
        io.microagent.testing.KernelTests.requireRoot(); // the destroy broadcasts need CAP_NET_ADMIN
        Path file = dir.resolve("messages.jsonl");
        try (ServerSocket listener = Ports.serverBelowEphemeralRange(InetAddress.getByName("127.0.0.1"))) {
            int port = listener.getLocalPort();
            String args = "CollectorsCore_PriorityIntervals=1s,1h,1d,NetworkActivity_MessageFrequency=High,"
                    + "NetworkActivity_Devices=lo,Output_IotHub=Off,Output_File=" + file + ",Agent_StateDirectory="
                    + dir.resolve("state");
            Thread load = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try (Socket client = new Socket("127.0.0.1", port);
                            Socket served = listener.accept()) {
                        client.getOutputStream().write(new byte[321]);
                        served.getInputStream().readNBytes(321);
                        served.getOutputStream().write(new byte[4321]);
                        client.getInputStream().readNBytes(4321);
                        client.close(); // the client closes first (see README on the FIN of a side that closes first)
                        served.getInputStream().read();
                        Thread.sleep(200);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            load.start();
            Jvm.Result r;
            try {
                r = runApp(java, args, file, "\"LocalPort\":" + port);
            } finally {
                load.interrupt();
                listener.close();
                load.join();
            }
            assertEquals(0, r.exitCode(), r.toString());
            List<JsonNode> server = new ArrayList<>();
            for (JsonNode m : messages(file)) {
                stream(m.get("Events")).filter(e -> e.get("Name").asText().equals("ConnectionCreate"))
                        .forEach(e -> e.get("Payload").forEach(p -> {
                            if (p.get("LocalPort").asInt() == port) {
                                server.add(p);
                            }
                        }));
            }
            JsonNode p = server.get(0);
            assertEquals("127.0.0.1", p.get("LocalAddress").asText());
            assertEquals("TCP", p.get("Protocol").asText());
            assertEquals("In", p.get("Direction").asText());
            assertEquals(321, p.get("BytesIn").asLong() / p.get("HitCount").asLong(), p.toString());
            assertEquals(4321, p.get("BytesOut").asLong() / p.get("HitCount").asLong(), p.toString());
            assertEquals("0", p.get("ExtendedProperties").get("UserId").asText());
        }
    }

    @org.junit.jupiter.api.Test
    void theJarIsAlsoACommandLine() throws Exception {
        String java = Jvm.javas().get(0);
        Jvm.Result version = Jvm.run(dir, List.of(java, "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(), "version"), 60);
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().get(0).matches("iot-micro-agent \\d+\\.\\d+\\.\\d+.*"), version.out().toString());
        Jvm.Result hook = Jvm.run(dir, List.of(java, "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(), "pam-hook"), 60);
        assertEquals(0, hook.exitCode(), hook.toString());
        assertEquals("#!/bin/sh", hook.out().get(0));
        assertTrue(hook.out().contains("session optional pam_exec.so quiet /usr/local/lib/iot-micro-agent/pam-hook"),
                hook.out().toString());
        Path installed = dir.resolve("lib/pam-hook");
        Jvm.Result install = Jvm.run(dir, List.of(java, "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(), "pam-hook",
                "install", installed.toString()), 60);
        assertEquals(0, install.exitCode(), install.toString());
        assertTrue(Files.isExecutable(installed));
        assertTrue(install.out().contains("auth [default=ignore] pam_exec.so quiet " + installed + " failed"),
                install.out().toString());
        Jvm.Result unknown = Jvm.run(dir, List.of(java, "-jar", Jvm.AGENT_JAR.toAbsolutePath().toString(), "bogus"), 60);
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().get(0).equals("iot-micro-agent: unknown command bogus"), unknown.err().toString());
    }

    @org.junit.jupiter.api.Test
    void theCommandLineListsJvmsAndRefusesClearly() throws Exception {
        String java = Jvm.javas().get(0);
        String jar = Jvm.AGENT_JAR.toAbsolutePath().toString();
        Path out = dir.resolve("hang.out");
        Process noAttach = new ProcessBuilder(java, "-XX:+DisableAttachMechanism", "-cp", Jvm.classPath(),
                ClashApp.class.getName(), dir.resolve("none").toString(), "hang", "60").redirectOutput(out.toFile())
                .start();
        Process plain = new ProcessBuilder(java, "-cp", Jvm.classPath(), ClashApp.class.getName(),
                dir.resolve("none").toString(), "hang", "60").redirectOutput(dir.resolve("plain.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!(Files.readString(out).contains("hanging") && Files.readString(dir.resolve("plain.out"))
                    .contains("hanging")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Jvm.Result list = Jvm.run(dir, List.of(java, "-jar", jar, "list"), 60);
            assertEquals(0, list.exitCode(), list.toString());
            assertTrue(list.out().stream().anyMatch(l -> l.startsWith(plain.pid() + "\t" + ClashApp.class.getName())),
                    list.out().toString());

            Jvm.Result refused = Jvm.run(dir, List.of(java, "-jar", jar, "status", String.valueOf(noAttach.pid())), 60);
            assertEquals(2, refused.exitCode(), refused.toString());
            assertTrue(refused.err().get(0).startsWith("iot-micro-agent: process " + noAttach.pid() + " (java) is a JVM"),
                    refused.toString());
            assertTrue(refused.err().get(0).contains("-XX:+DisableAttachMechanism"), refused.toString());

            Jvm.Result none = Jvm.run(dir, List.of(java, "-jar", jar, "status", String.valueOf(plain.pid())), 60);
            assertEquals(1, none.exitCode(), none.toString());
            assertEquals("no agent runs in process " + plain.pid(), none.out().get(0));

            io.microagent.testing.KernelTests.requireRoot(); // the other-user case needs root to switch user
            Path readable = Files.createTempFile("iot-micro-agent-", ".jar"); // nobody may not read the build tree
            Files.copy(Jvm.AGENT_JAR, readable, StandardCopyOption.REPLACE_EXISTING);
            readable.toFile().setReadable(true, false);
            Path work = Files.createTempDirectory("iot-micro-agent-nobody");
            work.toFile().setWritable(true, false);
            Jvm.Result otherUser;
            try {
                otherUser = Jvm.run(work, List.of("runuser", "-u", "nobody", "--", java, "-jar", readable.toString(),
                        "status", String.valueOf(plain.pid())), 60);
            } finally {
                Files.deleteIfExists(readable);
            }
            assertEquals(2, otherUser.exitCode(), otherUser.toString());
            assertTrue(otherUser.err().get(0).contains("runs as uid 0 and this command as uid 65534"),
                    otherUser.toString());
        } finally {
            noAttach.destroyForcibly();
            plain.destroyForcibly();
        }
    }

    private Jvm.Result runApp(String java, String args, Path file, String awaited) throws Exception {
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + args, "-cp",
                Jvm.classPath(), ClashApp.class.getName(), file.toString(), awaited, "60"));
        return Jvm.run(dir, command, 90);
    }

    private static String value(Jvm.Result r, String prefix) {
        return r.out().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElse("");
    }

    static List<JsonNode> messages(Path file) throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertEquals(List.of(), MessageSchema.violations(bytes), line);
            messages.add(MessageSchema.parse(bytes));
        }
        assertFalse(messages.isEmpty(), "no message in " + file);
        return messages;
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }
}
