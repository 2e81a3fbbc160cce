package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.linux.NetlinkSocket;
import io.microagent.testing.KernelTests;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcConnectorMessagesTest {
    /** A datagram as the kernel writes it: nlmsghdr, cn_msg, proc_event. */
    static ByteBuffer event(int what, int... data) {
        int length = 16 + 20 + 16 + data.length * 4;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) 3).putShort((short) 0).putInt(1).putInt(0);
        b.putInt(1).putInt(1).putInt(0).putInt(0).putShort((short) (16 + data.length * 4)).putShort((short) 0);
        b.putInt(what).putInt(0).putLong(123_456_789L);
        for (int d : data) {
            b.putInt(d);
        }
        return b.flip();
    }

    @Test
    void forkExecAndExitAreParsed() {
        List<ProcEvent> events = new ArrayList<>();
        assertEquals(0, ProcConnectorMessages.parse(event(0x1, 100, 100, 101, 101), events::add));
        assertEquals(0, ProcConnectorMessages.parse(event(0x2, 101, 101), events::add));
        assertEquals(0, ProcConnectorMessages.parse(event(0x4, 101, 101, 1000, 0), events::add));
        assertEquals(0, ProcConnectorMessages.parse(event(0x80000000, 101, 101, 0, 17), events::add));
        assertEquals(List.of(new ProcEvent(ProcEvent.Kind.FORK, 101, 101, 100, 100, -1, 123_456_789L),
                new ProcEvent(ProcEvent.Kind.EXEC, 101, 101, 0, 0, -1, 123_456_789L),
                new ProcEvent(ProcEvent.Kind.UID, 101, 101, 0, 0, 1000, 123_456_789L),
                new ProcEvent(ProcEvent.Kind.EXIT, 101, 101, 0, 0, -1, 123_456_789L)), events);
    }

    @Test
    void malformedMessagesAreSkippedAndCounted() {
        List<ProcEvent> events = new ArrayList<>();
        ByteBuffer truncated = event(0x1, 100, 100, 101, 101);
        truncated.limit(truncated.limit() - 8);
        assertEquals(1, ProcConnectorMessages.parse(truncated, events::add));
        ByteBuffer shortFork = event(0x1, 100, 100);
        assertEquals(1, ProcConnectorMessages.parse(shortFork, events::add));
        ByteBuffer wrongConnector = event(0x2, 5, 5);
        wrongConnector.putInt(16, 7);
        assertEquals(1, ProcConnectorMessages.parse(wrongConnector, events::add));
        assertEquals(0, ProcConnectorMessages.parse(ByteBuffer.allocate(3), events::add));
        assertTrue(events.isEmpty());
    }

    @Test
    void theKernelReportsAnExecForEveryChild() throws Exception {
        KernelTests.requireRoot();
        BlockingQueue<Long> execs = new LinkedBlockingQueue<>();
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, 1, 4 << 20)) {
            socket.send(ProcConnectorMessages.subscription(true));
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        ProcConnectorMessages.parse(socket.receive(), e -> {
                            if (e.kind() == ProcEvent.Kind.EXEC) {
                                execs.add((long) e.tgid());
                            }
                        });
                    }
                } catch (java.io.IOException closed) {
                    // The test closed the socket.
                }
            });
            reader.setDaemon(true);
            reader.start();
            List<Long> children = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Process p = new ProcessBuilder("/bin/true").start();
                children.add(p.pid());
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Set<Long> missing = new HashSet<>(children);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                Long pid = execs.poll(100, TimeUnit.MILLISECONDS);
                if (pid != null) {
                    missing.remove(pid);
                }
            }
            assertTrue(missing.isEmpty(), "no exec event for " + missing);
            socket.send(ProcConnectorMessages.subscription(false));
        }
    }

    record Observed(List<ProcEvent> events, int child) {
    }

    /** Every event a socket receives while this JVM starts threads and runs a child, taken until the child's exit. */
    static Observed eventsDuring(NetlinkSocket socket, NetlinkSocket untilExitOn) throws Exception {
        socket.send(ProcConnectorMessages.subscription(true));
        untilExitOn.send(ProcConnectorMessages.subscription(true));
        for (int i = 0; i < 5; i++) {
            Thread t = new Thread(() -> { });
            t.start();
            t.join();
        }
        Process child = new ProcessBuilder("/bin/true").start();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        List<ProcEvent> events = new ArrayList<>();
        boolean exited = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!exited && System.nanoTime() < deadline) {
            untilExitOn.awaitReadable(100);
            for (ByteBuffer d : untilExitOn.receiveQueued()) {
                exited |= isExitOf(d, child.pid());
            }
        }
        assertTrue(exited, "the child's exit reached the unfiltered socket");
        for (List<ByteBuffer> q = socket.receiveQueued(); !q.isEmpty(); q = socket.receiveQueued()) {
            q.forEach(d -> ProcConnectorMessages.parse(d, events::add));
        }
        return new Observed(events, (int) child.pid());
    }

    static boolean isExitOf(ByteBuffer datagram, long pid) {
        List<ProcEvent> events = new ArrayList<>();
        ProcConnectorMessages.parse(datagram, events::add);
        return events.stream().anyMatch(e -> e.kind() == ProcEvent.Kind.EXIT && e.tgid() == pid);
    }

    @Test
    void theKernelSplitsTheEventsBetweenTheTwoSocketsAndDropsThreads() throws Exception {
        KernelTests.requireRoot();
        for (boolean execs : new boolean[] {true, false}) {
            try (NetlinkSocket filtered = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, 1, 4 << 20);
                    NetlinkSocket unfiltered = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, 1, 4 << 20)) {
                filtered.attachFilter(ProcConnectorMessages.filter(execs));
                Observed observed = eventsDuring(filtered, unfiltered);
                List<ProcEvent> events = observed.events();
                int child = observed.child();
                if (execs) {
                    assertTrue(events.stream().allMatch(e -> e.kind() == ProcEvent.Kind.EXEC), events.toString());
                    assertTrue(events.stream().anyMatch(e -> e.tgid() == child), "the child's exec: " + events);
                } else {
                    assertTrue(events.stream().noneMatch(e -> e.kind() == ProcEvent.Kind.EXEC
                            || e.kind() == ProcEvent.Kind.OTHER), events.toString());
                    assertTrue(events.stream().allMatch(e -> e.pid() == e.tgid()), "no thread's event: " + events);
                    assertTrue(events.stream().anyMatch(e -> e.kind() == ProcEvent.Kind.FORK && e.tgid() == child));
                    assertTrue(events.stream().anyMatch(e -> e.kind() == ProcEvent.Kind.EXIT && e.tgid() == child));
                }
            }
        }
        // Without a filter the same run shows this JVM's threads: the test above would see them.
        try (NetlinkSocket plain = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, 1, 4 << 20);
                NetlinkSocket other = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, 1, 4 << 20)) {
            List<ProcEvent> events = eventsDuring(plain, other).events();
            assertTrue(events.stream().anyMatch(e -> e.kind() == ProcEvent.Kind.FORK && e.pid() != e.tgid()),
                    "thread forks: " + events);
        }
    }
}
