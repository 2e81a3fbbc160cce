package io.microagent.attach;

import com.sun.tools.attach.VirtualMachine;
import io.microagent.config.AgentArguments;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * {@code attach PID [ARGS]}: loads the agent into a running JVM. The arguments travel in a file readable only
 * by this user (long argument strings are fragile in the attach protocol); the agent reads and deletes it.
 */
final class AttachCommand {
    static final String RUNNING_PROPERTY = "io.microagent.running";

    private AttachCommand() {
    }

    static int run(long pid, String arguments, String agentJar, PrintStream out) throws Jvms.Refusal, IOException {
        VirtualMachine vm = Jvms.attach(pid);
        try {
            Properties target = Jvms.systemProperties(vm);
            String running = target.getProperty(RUNNING_PROPERTY);
            if (running != null) {
                out.println("an agent already runs in process " + pid + " (" + running + "): nothing loaded");
                return 0;
            }
            explainTargetWarnings(vm, target, out);
            Path file = Files.createTempFile(AgentArguments.ARGUMENTS_FILE_PREFIX, ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, arguments == null ? "" : arguments, StandardCharsets.UTF_8);
            try {
                Jvms.loadAgent(vm, agentJar, "@" + file); // the agent reads, then deletes the file
            } catch (Jvms.Refusal e) {
                Files.deleteIfExists(file);
                throw e;
            }
            out.println("agent loaded into process " + pid + "; it starts on its own threads (see its stderr, or"
                    + " run: java -jar " + agentJar + " status " + pid + ")");
            return 0;
        } finally {
            Jvms.detach(vm);
        }
    }

    /**
     * The warnings the target JVM will print on its stderr as the agent loads, each with the flag that silences
     * it: from JDK 21, loading an agent into a running JVM (JEP 451); from JDK 24, JNA loading its native library
     * (JEP 472). A user who sees them in the application's log should know they came from this command.
     */
    private static void explainTargetWarnings(VirtualMachine vm, Properties target, PrintStream out) {
        String spec = target.getProperty("java.specification.version", "17");
        int feature;
        try {
            feature = Integer.parseInt(spec);
        } catch (NumberFormatException e) {
            feature = 17;
        }
        String flags = Jvms.agentProperties(vm).getProperty("sun.jvm.args", "");
        if (feature >= 21 && !flags.contains("-XX:+EnableDynamicAgentLoading")) {
            out.println("note: process " + vm.id() + " runs Java " + spec + ", which prints a warning when an agent is"
                    + " loaded into a running JVM (JEP 451). To allow it silently, start that JVM with"
                    + " -XX:+EnableDynamicAgentLoading, or attach the agent at start with -javaagent.");
        }
        if (feature >= 24 && !flags.contains("--enable-native-access=ALL-UNNAMED")) {
            out.println("note: Java " + spec + " also prints a warning when the agent's JNA loads its native library"
                    + " (JEP 472, restricted methods); start that JVM with --enable-native-access=ALL-UNNAMED to"
                    + " allow it silently (with -javaagent too).");
        }
    }
}
