package io.microagent.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** The one class that touches the Attach API, turning its failures into sentences a user can act on. */
final class Jvms {
    /** A failure worth one clear line, not a stack trace. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }

    private Jvms() {
    }

    static List<VirtualMachineDescriptor> list() {
        return VirtualMachine.list();
    }

    /** Attaches to {@code pid}, or says why it cannot: no such process, another user, no attach support. */
    static VirtualMachine attach(long pid) throws Refusal {
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new Refusal("there is no process " + pid);
        }
        long self = uid(Path.of("/proc/self"));
        long target = uid(Path.of("/proc/" + pid));
        if (self != 0 && target >= 0 && self != target) {
            throw new Refusal("process " + pid + " runs as uid " + target + " and this command as uid " + self
                    + ": run it as the same user (for example with sudo -u)");
        }
        try {
            return VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new Refusal("cannot attach to process " + pid + ": " + e.getMessage() + " (is it a JVM? one started"
                    + " with -XX:+DisableAttachMechanism, or in a container with another /tmp, cannot be attached)");
        }
    }

    static Properties systemProperties(VirtualMachine vm) throws Refusal {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw new Refusal("process " + vm.id() + " did not answer: " + e.getMessage());
        }
    }

    static void loadAgent(VirtualMachine vm, String jar, String arguments) throws Refusal {
        try {
            vm.loadAgent(jar, arguments);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new Refusal("loading the agent into process " + vm.id() + " failed: " + e.getMessage());
        }
    }

    static String jmxAddress(VirtualMachine vm) throws Refusal {
        try {
            return vm.startLocalManagementAgent();
        } catch (IOException e) {
            throw new Refusal("cannot reach process " + vm.id() + "'s management interface: " + e.getMessage());
        }
    }

    static Properties agentProperties(VirtualMachine vm) {
        try {
            return vm.getAgentProperties();
        } catch (IOException e) {
            return new Properties();
        }
    }

    static void detach(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException e) {
            // Detaching is best effort.
        }
    }

    private static long uid(Path procDir) {
        try {
            return ((Number) Files.getAttribute(procDir, "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
