package io.microagent.collect.process;

/** One proc connector event: what happened and to which process (tgid is the process, pid the thread). */
public record ProcEvent(Kind kind, int pid, int tgid, int parentPid, int parentTgid, long timestampNanos) {
    public enum Kind { FORK, EXEC, EXIT, OTHER }
}
