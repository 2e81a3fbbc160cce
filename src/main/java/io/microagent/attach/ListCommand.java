package io.microagent.attach;

import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.PrintStream;

/** {@code list}: the JVMs this user can attach to. */
final class ListCommand {
    private ListCommand() {
    }

    static int run(PrintStream out) {
        for (VirtualMachineDescriptor d : Jvms.list()) {
            if (d.id().equals(String.valueOf(ProcessHandle.current().pid()))) {
                continue;
            }
            out.println(d.id() + "\t" + (d.displayName().isEmpty() ? "(no main class)" : d.displayName()));
        }
        return 0;
    }
}
