package io.microagent.collect.network;

/**
 * One socket as sock_diag describes it ({@code struct inet_diag_msg} and its {@code tcp_info}): addresses as 4-
 * or 16-byte arrays in network order, ports, kernel state, owner uid, the kernel's cookie (unique per socket,
 * the same in dumps and in the destroy broadcast), and for TCP the {@code tcp_info} byte counters.
 */
public record SocketRecord(int family, int protocol, int state, byte[] localAddress, int localPort,
        byte[] remoteAddress, int remotePort, int interfaceIndex, long cookie, int uid, boolean hasTcpInfo,
        long bytesAcked, long bytesReceived, long bytesSent, long bytesRetransmitted) {

    /** No remote end: a listener, or a UDP socket that was never connected. */
    public boolean unconnected() {
        if (remotePort != 0) {
            return false;
        }
        for (byte b : remoteAddress) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
