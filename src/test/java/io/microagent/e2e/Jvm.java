package io.microagent.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starts a separate JVM for end-to-end tests and collects what it printed. */
final class Jvm {
    static final Path AGENT_JAR = Path.of(System.getProperty("agent.jar", "target/iot-micro-agent.jar"));
    static final Path CLASH_LIB = Path.of(System.getProperty("clash.lib", "target/clash-lib"));
    static final Path TEST_CLASSES = Path.of(System.getProperty("test.classes", "target/test-classes"));

    record Result(int exitCode, List<String> out, List<String> err) {
        boolean outHas(String line) {
            return out.contains(line);
        }
    }

    /** The JDKs to run end-to-end cases on: this one, and Temurin 25 where the machine has it. */
    static List<String> javas() {
        List<String> javas = new ArrayList<>();
        javas.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.filter(p -> p.getFileName().toString().startsWith("temurin-25")).map(p -> p.resolve("bin/java"))
                    .filter(Files::isExecutable).findFirst().ifPresent(p -> javas.add(p.toString()));
        } catch (IOException e) {
            // No other JDKs: the current one is enough.
        }
        return javas;
    }

    /**
     * The java command with the options a device application on that JDK would use: from JDK 22 on, an
     * application that loads native code through JNA enables native access (else the JDK warns on stderr).
     */
    static List<String> java(String java) throws IOException {
        List<String> command = new ArrayList<>(List.of(java));
        Path release = Path.of(java).getParent().getParent().resolve("release");
        if (Files.exists(release)) {
            String text = Files.readString(release);
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(text);
            if (m.find() && Integer.parseInt(m.group(1)) >= 22) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
        }
        return command;
    }

    static String classPath() throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(TEST_CLASSES.toString());
        try (Stream<Path> jars = Files.list(CLASH_LIB)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        return String.join(":", entries);
    }

    static Result run(Path workDir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("JVM did not end within " + timeoutSeconds + " s: " + command + "\nstdout: "
                    + Files.readString(out) + "\nstderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }
}
