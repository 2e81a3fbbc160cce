package io.microagent.collect.network;

import io.microagent.linux.NetlinkMessages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * sock_diag's inet wire format (linux/inet_diag.h, linux/tcp.h): the dump request and a pure parser for the
 * replies and destroy broadcasts. A message too short for its structures is malformed (null).
 */
public final class InetDiagMessages {
    public static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int TCP_ESTABLISHED = 1;
    static final int TCP_TIME_WAIT = 6;
    static final int TCP_CLOSE = 7;
    static final int TCP_CLOSE_WAIT = 8;
    static final int TCP_LAST_ACK = 9;
    static final int TCP_LISTEN = 10;
    static final int TCP_CLOSING = 11;
    static final int INET_DIAG_INFO = 2;
    static final int INET_DIAG_PROTOCOL = 10;
    /** Multicast groups SKNLGRP_INET_TCP_DESTROY, _INET_UDP_, _INET6_TCP_, _INET6_UDP_ (1..4) as a bind mask. */
    public static final int DESTROY_GROUPS = 0b1111;
    private static final int MSG = 72;
    private static final int REQUEST = 56;

    private InetDiagMessages() {
    }

    /** {@code struct inet_diag_req_v2}: every socket of {@code family}/{@code protocol} in {@code states}, with tcp_info. */
    public static byte[] dumpRequest(int family, int protocol, int states) {
        return ByteBuffer.allocate(REQUEST).order(ByteOrder.nativeOrder()).put((byte) family).put((byte) protocol)
                .put((byte) (1 << (INET_DIAG_INFO - 1))).put((byte) 0).putInt(states).array();
    }

    /**
     * {@code struct inet_diag_req_v2} for the one socket that would take a packet sent to {@code address}:{@code
     * port} from nowhere: the listener on that port, if there is one (no cookie to match).
     */
    public static byte[] listenerLookup(int family, int protocol, byte[] address, int port) {
        ByteBuffer b = ByteBuffer.allocate(REQUEST).order(ByteOrder.nativeOrder()).put((byte) family)
                .put((byte) protocol).put((byte) 0).put((byte) 0).putInt(1 << TCP_LISTEN);
        b.put((byte) (port >>> 8)).put((byte) port).putShort((short) 0).put(address);
        b.position(48);
        return b.putInt(-1).putInt(-1).array(); // INET_DIAG_NOCOOKIE
    }

    /**
     * One reply or broadcast payload (after the netlink header). The protocol is the request's for dumps, or the
     * INET_DIAG_PROTOCOL attribute that broadcasts carry ({@code protocol} 0 when neither is known).
     */
    public static SocketRecord parse(ByteBuffer b, int requestedProtocol) {
        if (b.remaining() < MSG) {
            return null;
        }
        int family = Byte.toUnsignedInt(b.get(0));
        int length = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
        if (length < 0) {
            return null;
        }
        int state = Byte.toUnsignedInt(b.get(1));
        // struct inet_diag_sockid at 4: sport, dport (big endian), src[4], dst[4] (network order), if, cookie[2]
        int sport = ((b.get(4) & 255) << 8) | (b.get(5) & 255);
        int dport = ((b.get(6) & 255) << 8) | (b.get(7) & 255);
        byte[] src = new byte[length];
        byte[] dst = new byte[length];
        b.get(8, src);
        b.get(24, dst);
        int ifindex = b.getInt(40);
        long cookie = Integer.toUnsignedLong(b.getInt(44)) | (Integer.toUnsignedLong(b.getInt(48)) << 32);
        int uid = b.getInt(64);
        int[] protocol = {requestedProtocol};
        long[][] found = {null};
        boolean whole = NetlinkMessages.forEachAttribute(b, MSG, (type, value) -> {
            if (type == INET_DIAG_PROTOCOL && value.remaining() >= 1) {
                protocol[0] = Byte.toUnsignedInt(value.get(0));
            } else if (type == INET_DIAG_INFO) {
                found[0] = tcpBytes(value);
            }
        });
        long[] info = found[0];
        if (!whole) {
            return null;
        }
        boolean tcp = info != null && protocol[0] == IPPROTO_TCP;
        return new SocketRecord(family, protocol[0], state, src, sport, dst, dport, ifindex, cookie, uid, tcp,
                tcp ? info[0] : 0, tcp ? info[1] : 0, tcp ? info[2] : 0, tcp ? info[3] : 0);
    }

    /**
     * {@code struct tcp_info}: bytes_acked at 120, bytes_received at 128, bytes_sent at 200, bytes_retrans at 208
     * (kernels before 4.19 stop earlier: sent and retransmitted are then unknown, -1).
     */
    private static long[] tcpBytes(ByteBuffer v) {
        if (v.remaining() < 136) {
            return null;
        }
        boolean sent = v.remaining() >= 216;
        return new long[] {v.getLong(120), v.getLong(128), sent ? v.getLong(200) : -1, sent ? v.getLong(208) : -1};
    }
}
