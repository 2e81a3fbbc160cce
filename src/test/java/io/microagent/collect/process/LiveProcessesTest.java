package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The parent and uid of each process as the proc connector's events tell them, with status reads where they don't. */
class LiveProcessesTest {
    final LiveProcesses live = new LiveProcesses();

    @Test
    void aChildInheritsItsParentsUidAtTheFork() {
        live.learned(100, 1, 1000, 10);
        live.forked(101, 100, 20);
        LiveProcesses.Known child = live.complete(101);
        assertNotNull(child);
        assertEquals(100, child.parent());
        assertEquals(1000, child.uid());
    }

    @Test
    void aUidChangeIsFollowedAndPassedOnToLaterChildren() {
        live.learned(100, 1, 0, 10);
        live.forked(101, 100, 20);
        live.uidChanged(101, 65534, 30); // setuid in the child before its exec
        assertEquals(65534, live.complete(101).uid());
        live.forked(102, 101, 40);
        assertEquals(65534, live.complete(102).uid());
    }

    @Test
    void aStatusReadHoldsFromTheReadOnOlderEventsDoNotOverwriteItNorDoOlderForksInheritIt() {
        live.learned(100, 1, 1000, 50);
        live.uidChanged(100, 0, 40); // queued before the read: the read already saw what followed it
        assertEquals(1000, live.get(100).uid());
        live.forked(101, 100, 45); // forked before the read: the uid then is not known
        assertNull(live.complete(101));
        assertEquals(LiveProcesses.UNKNOWN, live.get(101).uid());
        live.forked(102, 100, 60);
        assertEquals(1000, live.complete(102).uid());
    }

    @Test
    void aChildWhoseParentEndedOrWasNeverKnownIsNotComplete() {
        live.forked(101, 100, 20); // parent not known: neither is the child's uid
        assertNull(live.complete(101));
        live.learned(200, 1, 0, 10);
        live.forked(201, 200, 20);
        live.exited(200);
        assertNull(live.complete(201), "its parent ended: it has been given to another");
        live.forked(200, 1, 30); // the pid reused by another process
        assertNull(live.complete(201), "pid 200 is not the process that forked it");
    }

    @Test
    void forgettingLeavesNothingKnown() {
        live.learned(100, 1, 0, 10);
        live.forked(101, 100, 20);
        live.forget();
        assertEquals(0, live.size());
        assertNull(live.get(100));
    }
}
