package io.microagent.collect.login;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * wtmp and btmp records as sign-in events. In wtmp a {@code USER_PROCESS} record is a sign-in; a
 * {@code DEAD_PROCESS} record ends the session open on its terminal line, and carries that session's user
 * (its own user field is often empty). Every record in btmp is a failed sign-in.
 */
public final class UtmpSessions {
    private static final int MAX_OPEN = 4096;
    private final Map<String, UtmpRecord> open = new LinkedHashMap<>();

    /** The events of one record, or none (boot, run level, a logout of a session never seen). */
    public List<Login> wtmp(UtmpRecord r) {
        if (r.type() == UtmpRecord.USER_PROCESS && !r.user().isEmpty()) {
            open.put(r.line(), r);
            if (open.size() > MAX_OPEN) {
                open.remove(open.keySet().iterator().next());
            }
            return List.of(new Login(r.time(), Login.LOGIN, r.pid(), r.user(), r.terminal(), r.remoteAddress(),
                    "wtmp"));
        }
        if (r.type() == UtmpRecord.DEAD_PROCESS) {
            UtmpRecord session = open.remove(r.line());
            if (session != null) {
                return List.of(new Login(r.time(), Login.LOGOUT, session.pid(), session.user(), session.terminal(),
                        session.remoteAddress(), "wtmp"));
            }
        }
        return List.of();
    }

    public static List<Login> btmp(UtmpRecord r) {
        if (r.type() != UtmpRecord.LOGIN_PROCESS && r.type() != UtmpRecord.USER_PROCESS) {
            return List.of();
        }
        return List.of(new Login(r.time(), Login.FAILED, r.pid() == 0 ? null : r.pid(),
                r.user().isEmpty() ? null : r.user(), r.terminal().isEmpty() ? null : r.terminal(), r.remoteAddress(),
                "btmp"));
    }
}
