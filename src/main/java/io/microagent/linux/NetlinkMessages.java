package io.microagent.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Netlink framing (linux/netlink.h): requests with an nlmsghdr, and walking the messages of a datagram. */
public final class NetlinkMessages {
    public static final int HEADER = 16;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final short NLM_F_REQUEST = 0x1;
    public static final short NLM_F_ACK = 0x4;
    /** NLM_F_ROOT | NLM_F_MATCH: every object of the kind asked for. */
    public static final short NLM_F_DUMP = 0x300;

    /** Called for each well-framed message; {@code payload} is positioned on the bytes after the header. */
    @FunctionalInterface
    public interface Handler {
        void message(int type, int sequence, ByteBuffer payload);
    }

    /** Called for each attribute; {@code value} holds exactly the attribute's bytes. */
    @FunctionalInterface
    public interface AttributeHandler {
        void attribute(int type, ByteBuffer value);
    }

    private NetlinkMessages() {
    }

    public static byte[] request(int type, short flags, int sequence, byte[] payload) {
        int length = HEADER + payload.length;
        return ByteBuffer.allocate(align(length)).order(ByteOrder.nativeOrder()).putInt(length).putShort((short) type)
                .putShort(flags).putInt(sequence).putInt(0).put(payload).array();
    }

    /**
     * Walks every message of {@code datagram}; a message whose length does not fit is not read.
     * @return 1 when the datagram's framing was broken (the rest was skipped), else 0
     */
    public static int forEach(ByteBuffer datagram, Handler handler) {
        ByteBuffer b = datagram.duplicate().order(datagram.order());
        while (b.remaining() >= HEADER) {
            int start = b.position();
            int length = b.getInt(start);
            if (length < HEADER || length > b.remaining()) {
                return 1;
            }
            int type = Short.toUnsignedInt(b.getShort(start + 4));
            int sequence = b.getInt(start + 8);
            ByteBuffer payload = b.duplicate().order(b.order());
            payload.position(start + HEADER).limit(start + length);
            handler.message(type, sequence, payload.slice().order(b.order()));
            b.position(Math.min(b.limit(), start + align(length)));
        }
        return 0;
    }

    /**
     * Walks the attributes ({@code struct rtattr} / {@code nlattr}: length, type, value, 4-byte aligned) of
     * {@code payload} from {@code offset} on. Nested and byte-order flag bits are masked off the type.
     * @return false when an attribute's length does not fit (the rest was not read)
     */
    public static boolean forEachAttribute(ByteBuffer payload, int offset, AttributeHandler handler) {
        int at = offset;
        int end = payload.limit();
        while (at + 4 <= end) {
            int length = Short.toUnsignedInt(payload.getShort(at));
            int type = Short.toUnsignedInt(payload.getShort(at + 2)) & 0x3fff;
            if (length < 4 || at + length > end) {
                return false;
            }
            ByteBuffer value = payload.duplicate().order(payload.order());
            value.position(at + 4).limit(at + length);
            handler.attribute(type, value.slice().order(payload.order()));
            at += align(length);
        }
        return true;
    }

    /** The errno of an NLMSG_ERROR payload (0 for an acknowledgement). */
    public static int error(ByteBuffer payload) {
        return payload.remaining() >= 4 ? -payload.getInt(0) : -1;
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }
}
