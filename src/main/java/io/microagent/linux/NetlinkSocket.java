package io.microagent.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one netlink socket every kernel source uses (proc connector, audit, sock_diag): open, bind to multicast
 * groups, send, receive into a reused native buffer, close. Not thread-safe: one reader thread owns it.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_AUDIT = 9;
    public static final int NETLINK_CONNECTOR = 11;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_ADD_MEMBERSHIP = 1;
    private static final int EINTR = 4;

    private final int fd;
    private final Memory buffer;
    private volatile boolean closed;

    private NetlinkSocket(int fd, int bufferBytes) {
        this.fd = fd;
        this.buffer = new Memory(bufferBytes);
    }

    /**
     * Opens a socket of {@code protocol} bound to {@code groups} (a bit mask of multicast groups 1..32).
     * @param receiveBufferBytes kernel receive buffer to ask for: bursts of events queue there, not in the heap
     */
    public static NetlinkSocket open(int protocol, int groups, int receiveBufferBytes) throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw failure("socket(AF_NETLINK, " + protocol + ")", e);
        }
        NetlinkSocket socket = new NetlinkSocket(fd, 64 * 1024);
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, new int[] {receiveBufferBytes}, 4);
            LibC.INSTANCE.bind(fd, address(groups), 12);
        } catch (LastErrorException e) {
            socket.close();
            throw failure("bind(netlink " + protocol + ", groups " + groups + ")", e);
        }
        return socket;
    }

    /** Joins a multicast group above 32 (audit's read-only log group, sock_diag's destroy groups). */
    public void join(int group) throws IOException {
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, new int[] {group}, 4);
        } catch (LastErrorException e) {
            throw failure("join netlink group " + group, e);
        }
    }

    public void send(byte[] message) throws IOException {
        try {
            LibC.INSTANCE.send(fd, message, message.length, 0);
        } catch (LastErrorException e) {
            throw failure("send on netlink", e);
        }
    }

    /**
     * Blocks until a datagram arrives; returns a view of it in the reused buffer (valid until the next call),
     * in native byte order.
     */
    public ByteBuffer receive() throws IOException {
        while (true) {
            try {
                long n = LibC.INSTANCE.recv(fd, buffer, buffer.size(), 0);
                return buffer.getByteBuffer(0, n).order(ByteOrder.nativeOrder());
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR || closed) {
                    throw failure("recv on netlink", e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException e) {
                // Closing is best effort: the descriptor is gone either way.
            }
        }
    }

    /** struct sockaddr_nl: family, pad, pid 0 (the kernel assigns one), groups. */
    private static byte[] address(int groups) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK).putShort((short) 0)
                .putInt(0).putInt(groups).array();
    }

    private static IOException failure(String what, LastErrorException e) {
        return new IOException(what + " failed: errno " + e.getErrorCode(), e);
    }
}
