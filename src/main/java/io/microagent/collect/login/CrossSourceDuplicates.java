package io.microagent.collect.login;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.Objects;

/**
 * One sign-in recorded by two sources (sshd's line in auth.log and its wtmp entry; a failure in auth.log and in
 * btmp) is one event: an event is a duplicate when another source reported the same operation for the same user
 * within a few seconds, from the same address (or one of them does not know the address). Repeats within one
 * source are real (three failed passwords are three events).
 */
final class CrossSourceDuplicates {
    static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int MAX_REMEMBERED = 4096;

    private final LinkedList<Login> recent = new LinkedList<>();
    private long duplicates;

    /** True when {@code login} is new; false when another source already reported it. */
    synchronized boolean first(Login login) {
        for (Iterator<Login> it = recent.iterator(); it.hasNext();) {
            Login seen = it.next();
            if (seen.source().equals(login.source()) || !seen.operation().equals(login.operation())
                    || !Objects.equals(seen.userName(), login.userName())
                    || Duration.between(seen.time(), login.time()).abs().compareTo(WINDOW) > 0) {
                continue;
            }
            if (seen.remoteAddress() == null || login.remoteAddress() == null
                    || seen.remoteAddress().equals(login.remoteAddress())) {
                it.remove(); // one match each: a second sign-in of the same user is not swallowed too
                duplicates++;
                return false;
            }
        }
        recent.addLast(login);
        if (recent.size() > MAX_REMEMBERED) {
            recent.removeFirst();
        }
        return true;
    }

    synchronized long duplicates() {
        return duplicates;
    }
}
