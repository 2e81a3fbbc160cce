package io.microagent.entry;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;

/**
 * The only agent class the application's class loader sees besides {@link AgentLoader}. It must never throw
 * into the host and never touch the host's logging: it marks the JVM, builds the isolated loader on a daemon
 * thread and hands over to {@code io.microagent.core.Agent}.
 */
public final class AgentEntry {
    /** JVM-wide marker (system properties are shared by every class loader) that an agent runs here. */
    public static final String RUNNING_PROPERTY = "io.microagent.running";
    private static final String AGENT_CLASS = "io.microagent.core.Agent";
    private static final String COMMAND_LINE_CLASS = "io.microagent.attach.CommandLine";
    private static final String SHOW_CLASS = "io.microagent.show.Show";
    private static volatile ClassLoader agentLoader;

    private AgentEntry() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    /** {@code java -jar iot-micro-agent.jar COMMAND ...}: the attach command line. */
    public static void main(String[] args) throws Exception {
        ClassLoader loader = AgentLoader.create();
        try {
            Class.forName(COMMAND_LINE_CLASS, true, loader).getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * A security message as {@code show} prints it (a summary line, then a line per payload, cut to {@code width}),
     * for the sample's local hub, which prints what it receives in the agent's own words. Null when no agent has
     * started in this JVM.
     */
    @SuppressWarnings("unchecked")
    public static java.util.List<String> show(String message, int width) {
        ClassLoader loader = agentLoader;
        if (loader == null) {
            return null;
        }
        try {
            return (java.util.List<String>) Class.forName(SHOW_CLASS, true, loader)
                    .getMethod("lines", String.class, int.class).invoke(null, message, width);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean premain) {
        try {
            String mode = premain ? "-javaagent" : "attach";
            Object previous = System.getProperties().putIfAbsent(RUNNING_PROPERTY, "starting (" + mode + ")");
            if (previous != null) {
                System.err.println("[iot-micro-agent] an agent already runs in this JVM (" + previous
                        + "); this " + mode + " starts nothing and its arguments are ignored");
                return;
            }
            Thread starter = new Thread(() -> launch(arguments, instrumentation, premain), "iot-micro-agent-start");
            starter.setDaemon(true);
            starter.start();
        } catch (Throwable t) {
            System.err.println("[iot-micro-agent] could not start: " + t);
        }
    }

    private static void launch(String arguments, Instrumentation instrumentation, boolean premain) {
        try {
            if (premain) {
                // Loading, compiling and starting the agent would compete with the application's own start-up for
                // the device's cores; a client the application opens meanwhile is found as after a late attach.
                StartUpBurst.awaitEnd(instrumentation);
            }
            ClassLoader loader = AgentLoader.create();
            agentLoader = loader;
            Class.forName(AGENT_CLASS, true, loader)
                    .getMethod("start", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, arguments, instrumentation, premain);
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
            System.getProperties().put(RUNNING_PROPERTY, "failed: " + cause);
            System.err.println("[iot-micro-agent] could not start, the application continues without it: " + cause);
        }
    }
}
