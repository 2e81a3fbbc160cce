package io.microagent.collect.process;

import java.util.HashMap;
import java.util.Map;

/**
 * What the proc connector's events tell of each live process: who forked it and its real uid (inherited at fork,
 * changed by uid events), so that an exec needs no {@code /proc/PID/status} read. A process the events have not
 * told of (it started before the agent, or events were lost) is learned once from a status read; the value read
 * then holds from the moment of the read, so an older event still queued does not overwrite it, and a fork
 * older than the read does not inherit it. Times are CLOCK_MONOTONIC nanoseconds, the clock of the events'
 * timestamps and of {@link System#nanoTime()}.
 */
final class LiveProcesses {
    static final int UNKNOWN = -1;
    /** More live entries than this means exits were lost: start again from nothing rather than grow. */
    private static final int MAX = 1 << 16;

    /**
     * @param serial       this entry's own number: a pid reused by another process gets another one
     * @param parentSerial the parent's serial when it forked this process, 0 when not known
     * @param since        from when {@code uid} is known to hold
     */
    record Known(long serial, int parent, long parentSerial, int uid, long since) {
    }

    private final Map<Integer, Known> byPid = new HashMap<>();
    private long serials;

    Known get(int pid) {
        return byPid.get(pid);
    }

    /**
     * The parent and uid of {@code pid} when both are known, and the parent is still the process that forked it
     * (a child whose parent ended has been given to another; a status read tells which); else null.
     */
    Known complete(int pid) {
        Known k = byPid.get(pid);
        if (k == null || k.uid() == UNKNOWN || k.parent() == UNKNOWN) {
            return null;
        }
        Known parent = byPid.get(k.parent());
        return parent != null && parent.serial() == k.parentSerial() ? k : null;
    }

    /** A process forked {@code child} at {@code at}: it has the parent's uid if that is known to hold then. */
    void forked(int child, int parent, long at) {
        Known p = byPid.get(parent);
        int uid = p != null && p.uid() != UNKNOWN && p.since() - at <= 0 ? p.uid() : UNKNOWN;
        put(child, new Known(++serials, parent, p == null ? 0 : p.serial(), uid, at));
    }

    /** The real uid of {@code pid} became {@code uid} at {@code at}. */
    void uidChanged(int pid, int uid, long at) {
        Known k = byPid.get(pid);
        if (k == null) {
            put(pid, new Known(++serials, UNKNOWN, 0, uid, at));
        } else if (at - k.since() >= 0) {
            byPid.put(pid, new Known(k.serial(), k.parent(), k.parentSerial(), uid, at));
        }
    }

    /** What a status read taken at {@code readAt} said (UNKNOWN for what it could not say). */
    void learned(int pid, int parent, int uid, long readAt) {
        Known p = parent == UNKNOWN ? null : byPid.get(parent);
        Known k = byPid.get(pid);
        long serial = k != null ? k.serial() : ++serials;
        put(pid, new Known(serial, parent, p == null ? 0 : p.serial(), uid, readAt));
    }

    void exited(int pid) {
        byPid.remove(pid);
    }

    /** Events were lost: what is known may be stale. */
    void forget() {
        byPid.clear();
    }

    int size() {
        return byPid.size();
    }

    private void put(int pid, Known k) {
        if (byPid.size() >= MAX && !byPid.containsKey(pid)) {
            byPid.clear();
        }
        byPid.put(pid, k);
    }
}
