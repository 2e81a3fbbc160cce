package io.microagent.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The one netlink socket every kernel source uses (proc connector, audit, sock_diag): open, bind to multicast
 * groups, send, receive into a reused native buffer, close. Not thread-safe: one reader thread owns it.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_AUDIT = 9;
    public static final int NETLINK_CONNECTOR = 11;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    /** How long a blocked receive waits before it looks whether the socket was closed. */
    private static final int RECEIVE_TIMEOUT_SECONDS = 2;

    /** The kernel dropped messages because the receive buffer was full; the socket stays usable. */
    public static final class OverflowException extends IOException {
        private static final long serialVersionUID = 1L;

        OverflowException() {
            super("netlink receive buffer overflowed: the kernel dropped messages");
        }
    }

    private final int fd;
    private final Memory buffer;
    /** A view of the whole buffer made once: a new direct buffer per datagram costs a JNI call and a weak reference. */
    private final ByteBuffer view;
    private static final long REPLY_TIMEOUT_NANOS = 5_000_000_000L;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Object fdLock = new Object();
    private int sequence;
    private volatile boolean closed;
    private boolean receiving;
    private boolean fdClosed;

    /** A reader waits in poll on the socket and on this, so {@link #close()} ends its wait at once. */
    private final WakeablePoll waiting = new WakeablePoll();
    /** A receive's answer when its wait for a datagram ended without one. */
    private static final long TIMED_OUT = -2;

    /** Datagrams per {@link #receiveQueued()} call, and the bytes kept for each. */
    public static final int BATCH = 64;
    public static final int BATCH_SLOT = 512;

    /** struct mmsghdr[BATCH], each with one iovec into its own slot of one buffer: set up once. */
    private static final class ReceiveBatch {
        private static final int POINTER = Native.POINTER_SIZE;
        /** struct msghdr (name, namelen, iov, iovlen, control, controllen, flags) and msg_len: 8 words. */
        private static final int HEADER = 8 * POINTER;
        private final Memory headers = new Memory((long) HEADER * BATCH);
        private final Memory iovecs = new Memory(2L * POINTER * BATCH);
        private final Memory slots = new Memory((long) BATCH_SLOT * BATCH);
        private final ByteBuffer view = slots.getByteBuffer(0, slots.size());

        ReceiveBatch() {
            headers.clear();
            for (int i = 0; i < BATCH; i++) {
                long iov = 2L * POINTER * i;
                iovecs.setPointer(iov, slots.share((long) BATCH_SLOT * i));
                setWord(iovecs, iov + POINTER, BATCH_SLOT);
                long h = (long) HEADER * i;
                headers.setPointer(h + 2L * POINTER, iovecs.share(iov));
                setWord(headers, h + 3L * POINTER, 1);
            }
        }

        ByteBuffer datagram(int i) {
            int length = headers.getInt((long) HEADER * i + 7L * POINTER); // msg_len
            int start = BATCH_SLOT * i;
            return view.duplicate().limit(start + Math.min(length, BATCH_SLOT)).position(start).slice()
                    .order(ByteOrder.nativeOrder());
        }

        private static void setWord(Memory m, long offset, long value) {
            if (POINTER == 8) {
                m.setLong(offset, value);
            } else {
                m.setInt(offset, (int) value);
            }
        }
    }

    private ReceiveBatch batch;
    private final List<ByteBuffer> queued = new ArrayList<>();

    private NetlinkSocket(int fd, int bufferBytes) {
        this.fd = fd;
        this.buffer = new Memory(bufferBytes);
        this.view = buffer.getByteBuffer(0, bufferBytes);
    }

    /**
     * Opens a socket of {@code protocol} bound to {@code groups} (a bit mask of multicast groups 1..32).
     * @param receiveBufferBytes kernel receive buffer to ask for: bursts of events queue there, not in the heap
     */
    public static NetlinkSocket open(int protocol, int groups, int receiveBufferBytes) throws IOException {
        int fd = LibC.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw failure("socket(AF_NETLINK, " + protocol + ")");
        }
        NetlinkSocket socket = new NetlinkSocket(fd, 64 * 1024);
        // Root may exceed net.core.rmem_max; others get what rmem_max allows.
        if (LibC.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, new int[] {receiveBufferBytes}, 4) < 0) {
            LibC.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, new int[] {receiveBufferBytes}, 4);
        }
        long[] timeout = {RECEIVE_TIMEOUT_SECONDS, 0}; // struct timeval
        if (LibC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16) < 0
                || LibC.bind(fd, address(groups), 12) < 0) {
            IOException e = failure("bind(netlink " + protocol + ", groups " + groups + ")");
            socket.close();
            throw e;
        }
        return socket;
    }

    /**
     * Attaches a classic BPF program (struct sock_filter: code, jt, jf, k) that the kernel runs on each message
     * before queueing it: what the program refuses costs the agent no wake-up and no receive.
     */
    public void attachFilter(SocketFilter program) throws IOException {
        Memory instructions = program.encode();
        // struct sock_fprog: unsigned short len, then the pointer, aligned to a pointer's size (4 on 32-bit ARM).
        int pointer = Native.POINTER_SIZE;
        Memory fprog = new Memory(2L * pointer);
        fprog.clear();
        fprog.setShort(0, (short) program.length());
        fprog.setPointer(pointer, instructions);
        if (LibC.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 2 * pointer) < 0) {
            throw failure("setsockopt(SO_ATTACH_FILTER)");
        }
    }

    public void send(byte[] message) throws IOException {
        if (closed) {
            throw new IOException("netlink socket closed");
        }
        if (LibC.send(fd, message, message.length, 0) < 0) {
            throw failure("send on netlink");
        }
    }

    /**
     * Waits for a datagram; returns a view of it in the reused buffer (valid until the next call), in native
     * byte order, or an empty buffer after a quiet spell of a few seconds (callers look at their stop flag).
     * @throws OverflowException when the kernel dropped messages (the caller counts, then receives on)
     * @throws IOException when the socket was closed or failed
     */
    public ByteBuffer receive() throws IOException {
        return receive(0);
    }

    /**
     * Every datagram queued, up to {@value #BATCH} per call, without waiting, in one system call (recvmmsg): views
     * in reused buffers, valid until the next receive. Empty when nothing was queued; as many as {@value #BATCH}
     * when more may be. A datagram longer than {@value #BATCH_SLOT} bytes is cut: for sources of small messages.
     * @throws OverflowException when the kernel dropped messages (the caller counts, then receives on)
     */
    public List<ByteBuffer> receiveQueued() throws IOException {
        if (batch == null) {
            batch = new ReceiveBatch();
        }
        queued.clear();
        int n = (int) received(() -> LibC.recvmmsg(fd, batch.headers, BATCH, MSG_DONTWAIT, null), "recvmmsg");
        for (int i = 0; i < n; i++) {
            queued.add(batch.datagram(i));
        }
        return queued;
    }


    /** As {@link #receive()}, without waiting: an empty buffer when nothing is queued. */
    public ByteBuffer receiveNow() throws IOException {
        return receive(MSG_DONTWAIT);
    }

    private ByteBuffer receive(int flags) throws IOException {
        long n = received(() -> flags == 0 && !waiting.await(fd, WakeablePoll.POLLIN, RECEIVE_TIMEOUT_SECONDS * 1000)
                ? TIMED_OUT : LibC.recv(fd, buffer, buffer.size(), flags | MSG_DONTWAIT), "recv");
        if (n == TIMED_OUT && closed) {
            throw new IOException("netlink socket closed");
        }
        // Nothing queued, or nothing within the timeout (as recv's own timeout says it).
        return n < 0 ? EMPTY : view.duplicate().limit((int) n).order(ByteOrder.nativeOrder());
    }

    /**
     * Runs a receiving system call on the descriptor, again after EINTR. {@link #close()} meanwhile leaves the
     * descriptor open until the call returned, so a number the kernel reuses for another file is never read.
     * @param call returns what it received (bytes, datagrams), or -1 with errno set, or {@link #TIMED_OUT}
     * @return what was received; -1 when nothing was queued (EAGAIN); TIMED_OUT as the call gave it
     */
    private long received(LongSupplier call, String what) throws IOException {
        while (true) {
            if (!enter()) {
                throw new IOException("netlink socket closed");
            }
            try {
                long n = call.getAsLong();
                if (n >= 0 || n == TIMED_OUT) {
                    return n;
                }
                int errno = LibC.errno();
                if (errno == EAGAIN) {
                    return -1;
                } else if (errno == ENOBUFS) {
                    throw new OverflowException();
                } else if (errno != EINTR) {
                    throw failure(what + " on netlink");
                }
            } finally {
                leave();
            }
        }
    }

    /** Marks the descriptor in use; false when the socket is closed. */
    private boolean enter() {
        synchronized (fdLock) {
            if (closed) {
                return false;
            }
            receiving = true;
            return true;
        }
    }

    /** Ends a use; closes the descriptor if {@link #close()} came meanwhile. */
    private void leave() {
        synchronized (fdLock) {
            receiving = false;
            if (closed) {
                closeDescriptor();
            }
        }
    }

    /**
     * Sends a request that the kernel acknowledges and waits for the acknowledgement of this request (other
     * traffic on the socket is passed over).
     * @return 0 when done, else the errno the kernel answered
     */
    public int command(int type, byte[] payload) throws IOException {
        int seq = ++sequence;
        send(NetlinkMessages.request(type, (short) (NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_ACK), seq,
                payload));
        int[] errno = {Integer.MIN_VALUE};
        awaitReplies(() -> errno[0] != Integer.MIN_VALUE, (t, s, p) -> {
            if (s == seq && t == NetlinkMessages.NLMSG_ERROR) {
                errno[0] = NetlinkMessages.error(p);
            }
        });
        return errno[0];
    }

    /**
     * Sends a request and returns copies of the replies of type {@code replyType}: the first one, or with
     * {@code dump} all of them up to the closing NLMSG_DONE. The kernel's error answer becomes an IOException.
     */
    public List<ByteBuffer> query(int type, byte[] payload, int replyType, boolean dump) throws IOException {
        int seq = ++sequence;
        send(NetlinkMessages.request(type, NetlinkMessages.NLM_F_REQUEST, seq, payload));
        List<ByteBuffer> replies = new ArrayList<>();
        boolean[] done = {false};
        int[] errno = {0};
        awaitReplies(() -> done[0], (t, s, p) -> {
            if (s != seq) {
                return;
            }
            if (t == NetlinkMessages.NLMSG_ERROR && NetlinkMessages.error(p) != 0) {
                errno[0] = NetlinkMessages.error(p);
                done[0] = true;
            } else if (t == NetlinkMessages.NLMSG_DONE) {
                done[0] = true;
            } else if (t == replyType) {
                ByteBuffer copy = ByteBuffer.allocate(p.remaining()).order(ByteOrder.nativeOrder()).put(p.duplicate());
                replies.add(copy.flip());
                done[0] = !dump;
            }
        });
        if (errno[0] != 0) {
            throw new IOException("netlink request " + type + " refused: errno " + errno[0]);
        }
        return replies;
    }

    /**
     * Sends a request for one object and returns the reply of type {@code replyType} (in the reused buffer: valid
     * until the next call), or null when the kernel answered with an error (such as ENOENT: no such object).
     */
    public ByteBuffer ask(int type, byte[] payload, int replyType) throws IOException {
        int seq = ++sequence;
        send(NetlinkMessages.request(type, NetlinkMessages.NLM_F_REQUEST, seq, payload));
        ByteBuffer[] reply = {null};
        boolean[] done = {false};
        awaitReplies(() -> done[0], (t, s, p) -> {
            if (s == seq && (t == replyType || t == NetlinkMessages.NLMSG_ERROR)) {
                reply[0] = t == replyType ? p : null;
                done[0] = true;
            }
        });
        return reply[0];
    }

    /**
     * Sends a dump request ({@code NLM_F_DUMP}) and hands each reply to {@code handler}, in the reused buffer
     * (copy what must outlive the call), up to the closing NLMSG_DONE. The kernel's error answer becomes an
     * IOException.
     */
    public void dump(int type, byte[] payload, NetlinkMessages.Handler handler) throws IOException {
        int seq = ++sequence;
        send(NetlinkMessages.request(type, (short) (NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_DUMP), seq,
                payload));
        boolean[] done = {false};
        int[] errno = {0};
        awaitReplies(() -> done[0], (t, s, p) -> {
            if (s != seq || done[0]) {
                return;
            }
            if (t == NetlinkMessages.NLMSG_ERROR) {
                errno[0] = NetlinkMessages.error(p);
                done[0] = true;
            } else if (t == NetlinkMessages.NLMSG_DONE) {
                done[0] = true;
            } else {
                handler.message(t, s, p);
            }
        });
        if (errno[0] != 0) {
            throw new IOException("netlink dump " + type + " refused: errno " + errno[0]);
        }
    }

    private void awaitReplies(java.util.function.BooleanSupplier finished, NetlinkMessages.Handler handler)
            throws IOException {
        long deadline = System.nanoTime() + REPLY_TIMEOUT_NANOS;
        while (!finished.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no answer from the kernel on netlink");
            }
            NetlinkMessages.forEach(receive(), handler);
        }
    }

    /** Waits up to {@code millis} for a datagram to read; true when one is there (false once closed). */
    public boolean awaitReadable(int millis) {
        return awaitReadable(millis, null);
    }

    /**
     * As {@link #awaitReadable(int)}, and true as well when {@code other} has a datagram: a socket of the same
     * reader, which closes it only after its waits ended. A wake of this socket ends the wait.
     */
    public boolean awaitReadable(int millis, NetlinkSocket other) {
        if (!enter()) {
            return false;
        }
        try {
            return waiting.awaitEither(fd, other == null ? -1 : other.fd, WakeablePoll.POLLIN, millis) && !closed;
        } finally {
            leave();
        }
    }

    /** Ends a reader's wait now, and every later one, without closing: the reader can still take what is queued. */
    public void endWaits() {
        waiting.wake();
    }

    /**
     * Closes the socket. A receive in progress on another thread returns within its timeout, and the descriptor
     * is closed only then, so a number the kernel reuses for another file is never read by mistake.
     */
    @Override
    public void close() {
        synchronized (fdLock) {
            closed = true;
            waiting.wake(); // ends a reader's poll now
            if (!receiving) {
                closeDescriptor();
            }
        }
    }

    private void closeDescriptor() {
        if (!fdClosed) {
            fdClosed = true;
            LibC.close(fd); // best effort: the descriptor is gone either way
            waiting.close();
        }
    }

    /** struct sockaddr_nl: family, pad, pid 0 (the kernel assigns one), groups. */
    private static byte[] address(int groups) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK).putShort((short) 0)
                .putInt(0).putInt(groups).array();
    }

    private static IOException failure(String what) {
        return new IOException(what + " failed: errno " + LibC.errno());
    }
}
