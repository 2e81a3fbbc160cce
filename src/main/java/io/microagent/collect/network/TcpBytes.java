package io.microagent.collect.network;

/**
 * Application bytes from {@code tcp_info}'s counters, which count sequence numbers: the SYN and the FIN take one
 * each. Measured on the kernel: {@code bytes_acked} counts the SYN of the side that connected (not the SYN-ACK of
 * the side that accepted), and the local FIN when its acknowledgement is processed before the socket ends;
 * {@code bytes_received} counts the peer's FIN, never its SYN. {@code bytes_sent - bytes_retrans} is the payload
 * sent once, SYN and FIN excluded.
 */
public final class TcpBytes {
    private TcpBytes() {
    }

    /** Bytes the peer acknowledged, less the SYN of a connection it initiated and, where it was counted, the FIN. */
    public static long out(SocketRecord s, boolean accepted) {
        long acked = Math.max(0, s.bytesAcked() - (accepted ? 0 : 1));
        if (s.bytesSent() >= 0 && s.bytesRetransmitted() >= 0) {
            acked = Math.min(acked, s.bytesSent() - s.bytesRetransmitted()); // the excess was the FIN
        }
        return Math.max(0, acked);
    }

    /**
     * Bytes received, less the peer's FIN where it came: a live socket's state says so; a closed socket is taken
     * to have ended with the peer's FIN when anything was received (a connection reset after data but before the
     * peer's FIN is then one byte short: the kernel does not say whether the FIN came).
     */
    public static long in(SocketRecord s, boolean closed) {
        long received = s.bytesReceived();
        boolean fin = closed ? received > 0 : switch (s.state()) {
            case InetDiagMessages.TCP_CLOSE_WAIT, InetDiagMessages.TCP_LAST_ACK, InetDiagMessages.TCP_CLOSING,
                    InetDiagMessages.TCP_TIME_WAIT -> true;
            default -> false;
        };
        return Math.max(0, fin ? received - 1 : received);
    }
}
