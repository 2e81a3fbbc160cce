package io.microagent.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.microagent.show.MessageView;
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

    /** The running JVMs this user may attach to (the JDK's list also holds stale and unattachable entries). */
    static List<VirtualMachineDescriptor> list() {
        long self = uid(Path.of("/proc/self"));
        return VirtualMachine.list().stream().filter(d -> {
            try {
                TargetProcess target = TargetProcess.read(Long.parseLong(d.id()));
                return target != null && target.refusal(self) == null;
            } catch (NumberFormatException e) {
                return false;
            }
        }).toList();
    }

    /**
     * Attaches to {@code pid}, or says why it cannot: no such process, a zombie, another user, not a JVM, a JVM
     * that cannot be attached. Nothing is signalled before {@link TargetProcess} has said the process is safe.
     */
    static VirtualMachine attach(long pid) throws Refusal {
        TargetProcess target = TargetProcess.read(pid);
        if (target == null) {
            throw new Refusal("there is no process " + pid);
        }
        String refusal = target.refusal(uid(Path.of("/proc/self")));
        if (refusal != null) {
            throw new Refusal(refusal);
        }
        try {
            return VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new Refusal("cannot attach to process " + pid + " (" + target.command() + "): "
                    + MessageView.printable(String.valueOf(e.getMessage())) + " (a JVM in a container with"
                    + " another /tmp, or one that has not finished starting, cannot be attached)");
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
