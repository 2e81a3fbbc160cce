package io.microagent.collect.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.microagent.linux.NetlinkMessages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** sock_diag replies and destroy broadcasts, and the netlink framing around them, fuzzed. */
class NetworkParsersFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void netlinkFraming(@NotNull byte[] datagram) {
        int[] messages = {0};
        int[] attributeBytes = {0};
        NetlinkMessages.forEach(ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder()), (type, sequence, payload) -> {
            messages[0]++;
            assertTrue(payload.remaining() <= datagram.length);
            NetlinkMessages.forEachAttribute(payload, Math.min(payload.remaining(), 72),
                    (attribute, value) -> attributeBytes[0] += value.remaining());
        });
        assertTrue(messages[0] <= datagram.length / 16 + 1, "a message is at least a header");
        assertTrue(attributeBytes[0] <= datagram.length);
    }

    @FuzzTest(maxDuration = "2m")
    void inetDiagMessages(@NotNull byte[] payload) {
        for (int protocol : new int[] {InetDiagMessages.IPPROTO_TCP, InetDiagMessages.IPPROTO_UDP}) {
            SocketRecord r = InetDiagMessages.parse(ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()), protocol);
            if (r != null) {
                assertTrue(r.localPort() >= 0 && r.localPort() <= 65535 && r.remotePort() >= 0
                        && r.remotePort() <= 65535, "ports are 16-bit");
                assertTrue(r.localAddress().length == 4 || r.localAddress().length == 16);
            }
        }
    }
}
