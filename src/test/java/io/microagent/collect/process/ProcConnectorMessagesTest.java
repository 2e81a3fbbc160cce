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
        assertEquals(0, ProcConnectorMessages.parse(event(0x80000000, 101, 101, 0, 17), events::add));
        assertEquals(List.of(new ProcEvent(ProcEvent.Kind.FORK, 101, 101, 100, 100, 123_456_789L),
                new ProcEvent(ProcEvent.Kind.EXEC, 101, 101, 0, 0, 123_456_789L),
                new ProcEvent(ProcEvent.Kind.EXIT, 101, 101, 0, 0, 123_456_789L)), events);
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
}
