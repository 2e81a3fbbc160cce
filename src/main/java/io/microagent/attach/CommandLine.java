package io.microagent.attach;

import io.microagent.core.AgentVersion;
import io.microagent.show.Show;
import io.microagent.show.TerminalWidth;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;

/** {@code java -jar iot-micro-agent.jar COMMAND}: list, attach, status, show, pam-hook, version. */
public final class CommandLine {
    static final String USAGE = String.join("\n",
            "usage: java -jar iot-micro-agent.jar COMMAND",
            "  list                 JVMs this user can attach the agent to",
            "  attach PID [ARGS]    load the agent into a running JVM; ARGS as for -javaagent (KEY=VALUE,...)",
            "  status PID           whether the agent runs there, its collectors' modes and its counters",
            "  pam-hook [install [FILE]]",
            "                       the PAM hook for Login_UsePAM and the PAM lines that enable it; install writes",
            "                       the hook (default " + PamHookCommand.DEFAULT_PATH + "); PAM files are not edited",
            Show.USAGE,
            "  version              this agent's version");

    private CommandLine() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            String command = args.length == 0 ? "help" : args[0];
            return switch (command) {
                case "list" -> ListCommand.run(out);
                case "attach" -> AttachCommand.run(pid(args), args.length > 2 ? args[2] : "", agentJar(), out);
                case "status" -> StatusCommand.run(pid(args), out);
                case "pam-hook" -> PamHookCommand.run(args, out);
                case "show" -> Show.run(Arrays.copyOfRange(args, 1, args.length), System.in, out, err,
                        TerminalWidth.of(System.getenv()), Clock.systemDefaultZone());
                case "version" -> {
                    out.println("iot-micro-agent " + AgentVersion.get());
                    yield 0;
                }
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new Jvms.Refusal("unknown command " + command + "\n" + USAGE);
            };
        } catch (Jvms.Refusal | IOException e) {
            err.println("iot-micro-agent: " + e.getMessage());
            return 2;
        }
    }

    private static long pid(String[] args) throws Jvms.Refusal {
        if (args.length < 2) {
            throw new Jvms.Refusal(args[0] + " needs a process id\n" + USAGE);
        }
        try {
            return Long.parseLong(args[1]);
        } catch (NumberFormatException e) {
            throw new Jvms.Refusal("not a process id: " + args[1]);
        }
    }

    /** {@code java -jar iot-micro-agent.jar}: the class path is the agent jar itself. */
    private static String agentJar() throws Jvms.Refusal {
        String path = System.getProperty("java.class.path", "");
        if (!path.endsWith(".jar") || path.contains(java.io.File.pathSeparator)) {
            throw new Jvms.Refusal("run this command as java -jar iot-micro-agent.jar (the jar to load is the one"
                    + " run)");
        }
        return java.nio.file.Path.of(path).toAbsolutePath().toString();
    }
}
