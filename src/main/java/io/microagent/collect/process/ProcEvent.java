package io.microagent.collect.process;

/**
 * One proc connector event: what happened and to which process (tgid is the process, pid the thread). A fork
 * names the parent in {@code parentPid}/{@code parentTgid}; a uid change gives the new real uid in {@code uid}
 * (-1 for the other kinds).
 */
public record ProcEvent(Kind kind, int pid, int tgid, int parentPid, int parentTgid, int uid, long timestampNanos) {
    public enum Kind { FORK, EXEC, UID, EXIT, OTHER }
}
