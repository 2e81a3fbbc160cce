package io.microagent.attach;

import io.microagent.core.AgentVersion;

/**
 * {@code java -jar iot-micro-agent.jar COMMAND}. This version knows {@code version}; the attach commands
 * ({@code list}, {@code attach PID [ARGS]}, {@code status PID}) come with the IoT Hub output.
 */
public final class CommandLine {
    private CommandLine() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("version")) {
            System.out.println("iot-micro-agent " + AgentVersion.get());
            return;
        }
        System.err.println("usage: java -jar iot-micro-agent.jar version\n"
                + "To run the agent, start the application with -javaagent:iot-micro-agent.jar[=KEY=VALUE,...]; "
                + "attaching to a running JVM is not in this version yet.");
        if (!(args.length == 0 || args[0].equals("help") || args[0].equals("--help"))) {
            System.exit(2);
        }
    }
}
