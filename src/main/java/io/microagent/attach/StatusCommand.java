package io.microagent.attach;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** {@code status PID}: whether the agent runs there, its mode per collector and its counters (from its MBean). */
final class StatusCommand {
    static final String MBEAN = "io.microagent:type=Agent";
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(5);

    private StatusCommand() {
    }

    /**
     * The agent registers its MBean shortly after the JVM's platform MBean server appears, which connecting may just
     * have made (the agent does not make it, to spare the device its memory).
     */
    private static boolean registered(MBeanServerConnection server, ObjectName name) throws IOException {
        long deadline = System.nanoTime() + REGISTRATION_WAIT.toNanos();
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static int run(long pid, PrintStream out) throws Jvms.Refusal {
        VirtualMachine vm = Jvms.attach(pid);
        try {
            String running = Jvms.systemProperties(vm).getProperty(AttachCommand.RUNNING_PROPERTY);
            if (running == null) {
                out.println("no agent runs in process " + pid);
                return 1;
            }
            out.println("process " + pid + ": " + running);
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(Jvms.jmxAddress(vm)))) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                ObjectName name = new ObjectName(MBEAN);
                if (!registered(server, name)) {
                    out.println("  (its status MBean " + MBEAN + " is not registered yet)");
                    return 0;
                }
                out.println("  version " + server.getAttribute(name, "Version") + ", AgentId "
                        + server.getAttribute(name, "AgentId") + ", started by " + server.getAttribute(name, "StartedBy"));
                out.println("  Role: " + server.getAttribute(name, "Role"));
                for (String section : new String[] {"Collectors", "Outputs", "Failures", "Configuration"}) {
                    String[] lines = (String[]) server.getAttribute(name, section);
                    out.println("  " + section + ":" + (lines.length == 0 ? " none" : ""));
                    for (String line : lines) {
                        out.println("    " + line);
                    }
                }
            } catch (IOException | javax.management.JMException e) {
                throw new Jvms.Refusal("cannot read the agent's status from process " + pid + ": " + e.getMessage());
            }
            return 0;
        } finally {
            Jvms.detach(vm);
        }
    }
}
