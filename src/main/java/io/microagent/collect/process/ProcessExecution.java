package io.microagent.collect.process;

import io.microagent.aggregate.Identity;
import java.time.Instant;
import java.util.Objects;

/**
 * One observed execution (or fork without exec). Values that could not be read are {@code null}, and the
 * command line is empty: never filled from another process.
 */
public record ProcessExecution(Instant time, int pid, Integer parentPid, String commandLine, String executable,
        Integer uid, String userName, String type) {

    public static final String EXEC = "exec";
    public static final String FORK = "fork";

    /**
     * The micro agent's identity for process events, command line and user id, refined by the type: a forked child
     * that never execs shows its parent's command line, and counting it with the parent's executions (or them with
     * it) would put hits under the wrong type.
     */
    public static final Identity<ProcessExecution> COMMAND_LINE_USER_AND_TYPE = new Identity<>() {
        @Override
        public int hash(ProcessExecution e) {
            return (e.commandLine.hashCode() * 31 + Objects.hashCode(e.uid)) * 31 + e.type.hashCode();
        }

        @Override
        public boolean same(ProcessExecution a, ProcessExecution b) {
            return Objects.equals(a.uid, b.uid) && a.type.equals(b.type) && a.commandLine.equals(b.commandLine);
        }
    };

    /** The same process, observed as gone: only what the event itself carried. */
    public static ProcessExecution unread(Instant time, int pid, Integer parentPid, String type) {
        return new ProcessExecution(time, pid, parentPid, "", null, null, null, type);
    }
}
