package io.microagent.collect.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.linux.NetlinkMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sock_diag messages captured on the kernel (6.x, little-endian: x86_64 and arm64 alike): the destroy broadcasts of
 * one IPv6 loopback TCP connection (123 bytes up, 4,567 down; accepted end, connecting end, listener) and of a
 * connected UDP socket of a dual-stack (IPv6) socket talking IPv4.
 */
class InetDiagMessagesTest {
    static List<ByteBuffer> captured() throws IOException {
        List<ByteBuffer> datagrams = new ArrayList<>();
        try (InputStream in = InetDiagMessagesTest.class.getResourceAsStream("/network/destroy-broadcasts.hex")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                datagrams.add(ByteBuffer.wrap(HexFormat.of().parseHex(line.strip())).order(ByteOrder.LITTLE_ENDIAN));
            }
        }
        return datagrams;
    }

    static SocketRecord record(ByteBuffer datagram) {
        List<SocketRecord> records = new ArrayList<>();
        assertEquals(0, NetlinkMessages.forEach(datagram, (type, seq, payload) -> {
            assertEquals(InetDiagMessages.SOCK_DIAG_BY_FAMILY, type);
            records.add(InetDiagMessages.parse(payload, 0));
        }));
        assertEquals(1, records.size());
        return records.get(0);
    }

    @Test
    void destroyBroadcastsOfBothEndsOfATcpConnection() throws IOException {
        List<ByteBuffer> d = captured();
        SocketRecord accepted = record(d.get(0));
        assertEquals(10, accepted.family());
        assertEquals(6, accepted.protocol(), "from the INET_DIAG_PROTOCOL attribute");
        assertEquals(InetDiagMessages.TCP_CLOSE, accepted.state());
        assertEquals("::1", ConnectionCollector.text(accepted.localAddress()));
        assertEquals(35669, accepted.localPort());
        assertEquals(39782, accepted.remotePort());
        assertEquals(0, accepted.uid());
        assertTrue(accepted.hasTcpInfo());
        assertEquals(4568, accepted.bytesAcked(), "4,567 and the FIN; an accepting end's SYN-ACK is not counted");
        assertEquals(124, accepted.bytesReceived(), "123 and the peer's FIN");
        assertEquals(4567, accepted.bytesSent());
        assertEquals(4567, TcpBytes.out(accepted, true));
        assertEquals(123, TcpBytes.in(accepted, true));

        SocketRecord connecting = record(d.get(1));
        assertEquals(39782, connecting.localPort());
        assertEquals(125, connecting.bytesAcked(), "123, the SYN and the FIN");
        assertEquals(123, TcpBytes.out(connecting, false));
        assertEquals(4567, TcpBytes.in(connecting, true));
        assertFalse(accepted.cookie() == connecting.cookie());

        SocketRecord listener = record(d.get(2));
        assertTrue(listener.unconnected(), "a listener's own socket is no connection");
        assertEquals(35669, listener.localPort());
    }

    @Test
    void aConnectedUdpSocketOfADualStackSocket() throws IOException {
        SocketRecord udp = record(captured().get(3));
        assertEquals(17, udp.protocol());
        assertFalse(udp.hasTcpInfo());
        assertFalse(udp.unconnected());
        assertEquals("127.0.0.1", ConnectionCollector.text(udp.localAddress()), "IPv4-mapped written as IPv4");
        assertEquals("127.0.0.1", ConnectionCollector.text(udp.remoteAddress()));
        assertEquals(9, udp.remotePort());
    }

    @Test
    void malformedMessagesAreRefusedNotMisread() throws IOException {
        ByteBuffer whole = captured().get(0);
        ByteBuffer payload = whole.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(16).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        assertNull(InetDiagMessages.parse(payload.duplicate().limit(71).slice().order(ByteOrder.LITTLE_ENDIAN), 0));
        ByteBuffer badFamily = copy(payload);
        badFamily.put(0, (byte) 7);
        assertNull(InetDiagMessages.parse(badFamily, 0));
        ByteBuffer badAttribute = copy(payload);
        badAttribute.putShort(72, (short) 4000); // the first attribute claims more than the message holds
        assertNull(InetDiagMessages.parse(badAttribute, 0));
        ByteBuffer cutInfo = copy(payload).limit(payload.limit() - 200);
        SocketRecord r = InetDiagMessages.parse(cutInfo.slice().order(ByteOrder.LITTLE_ENDIAN), 6);
        assertNull(r, "a tcp_info cut by the message's end breaks its attribute");
        assertEquals(1, NetlinkMessages.forEach(ByteBuffer.wrap(new byte[] {(byte) 200, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 1}).order(ByteOrder.LITTLE_ENDIAN), (t, s, p) -> {
                }), "a netlink length past the datagram");
    }

    @Test
    void requests() {
        ByteBuffer dump = ByteBuffer.wrap(InetDiagMessages.dumpRequest(10, 6, -1)).order(ByteOrder.nativeOrder());
        assertEquals(56, dump.remaining());
        assertEquals(10, dump.get(0));
        assertEquals(6, dump.get(1));
        assertEquals(2, dump.get(2), "INET_DIAG_INFO asked for");
        assertEquals(-1, dump.getInt(4));
        ByteBuffer lookup = ByteBuffer.wrap(InetDiagMessages.listenerLookup(2, 6, new byte[] {127, 0, 0, 1}, 8883))
                .order(ByteOrder.nativeOrder());
        assertEquals(1 << 10, lookup.getInt(4));
        assertEquals((byte) (8883 >> 8), lookup.get(8));
        assertEquals((byte) 8883, lookup.get(9));
        assertEquals(127, lookup.get(12));
        assertEquals(-1, lookup.getInt(48));
        assertEquals(-1, lookup.getInt(52));
    }

    @Test
    void theEphemeralPortRange() {
        assertEquals(List.of(32768, 60999), box(ConnectionCollector.ephemeralPorts("32768\t60999\n")));
        assertEquals(List.of(1024, 65535), box(ConnectionCollector.ephemeralPorts("1024 65535")));
        assertEquals(List.of(32768, 60999), box(ConnectionCollector.ephemeralPorts("garbled")));
        assertEquals(List.of(32768, 60999), box(ConnectionCollector.ephemeralPorts("9 3")));
    }

    static List<Integer> box(int[] range) {
        return List.of(range[0], range[1]);
    }

    static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        c.put(b.duplicate());
        return c.flip();
    }
}
