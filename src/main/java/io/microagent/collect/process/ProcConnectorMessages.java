package io.microagent.collect.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.microagent.linux.NetlinkMessages;
import java.util.function.Consumer;

/**
 * The proc connector's wire format (linux/connector.h, linux/cn_proc.h): the subscription request, and a pure
 * parser for the events. A datagram may hold several netlink messages; a malformed one is skipped and counted.
 */
public final class ProcConnectorMessages {
    static final int CN_IDX_PROC = 1;
    static final int CN_VAL_PROC = 1;
    static final int PROC_CN_MCAST_LISTEN = 1;
    static final int PROC_CN_MCAST_IGNORE = 2;
    static final int CN_MSG_LEN = 20;
    static final int PROC_EVENT_FORK = 0x1;
    static final int PROC_EVENT_EXEC = 0x2;
    static final int PROC_EVENT_EXIT = 0x80000000;
    /** what, cpu, timestamp_ns: the header of struct proc_event before its union. */
    static final int PROC_EVENT_HEADER = 16;

    private ProcConnectorMessages() {
    }

    /** nlmsghdr + cn_msg + the LISTEN (or IGNORE) operation. */
    public static byte[] subscription(boolean listen) {
        byte[] cnMsg = ByteBuffer.allocate(CN_MSG_LEN + 4).order(ByteOrder.nativeOrder())
                .putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(0).putInt(0).putShort((short) 4).putShort((short) 0)
                .putInt(listen ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE).array();
        return NetlinkMessages.request(NetlinkMessages.NLMSG_DONE, (short) 0, 0, cnMsg);
    }

    /**
     * Parses every netlink message in {@code datagram} (native byte order).
     * @return how many messages were malformed and skipped
     */
    public static int parse(ByteBuffer datagram, Consumer<ProcEvent> events) {
        int[] malformed = {0};
        int broken = NetlinkMessages.forEach(datagram, (type, sequence, payload) -> {
            ProcEvent event = event(payload);
            if (event == null) {
                malformed[0]++;
            } else {
                events.accept(event);
            }
        });
        return malformed[0] + broken;
    }

    private static ProcEvent event(ByteBuffer b) {
        if (b.remaining() < CN_MSG_LEN + PROC_EVENT_HEADER || b.getInt(0) != CN_IDX_PROC
                || b.getInt(4) != CN_VAL_PROC) {
            return null;
        }
        int dataLength = Short.toUnsignedInt(b.getShort(16));
        int ev = CN_MSG_LEN;
        if (dataLength < PROC_EVENT_HEADER || ev + dataLength > b.remaining()) {
            return null;
        }
        int what = b.getInt(ev);
        long time = b.getLong(ev + 8);
        int data = ev + PROC_EVENT_HEADER;
        int need = switch (what) {
            case PROC_EVENT_FORK -> 16;
            case PROC_EVENT_EXEC, PROC_EVENT_EXIT -> 8;
            default -> 0;
        };
        if (dataLength < PROC_EVENT_HEADER + need) {
            return null;
        }
        return switch (what) {
            case PROC_EVENT_FORK -> new ProcEvent(ProcEvent.Kind.FORK, b.getInt(data + 8), b.getInt(data + 12),
                    b.getInt(data), b.getInt(data + 4), time);
            case PROC_EVENT_EXEC -> new ProcEvent(ProcEvent.Kind.EXEC, b.getInt(data), b.getInt(data + 4), 0, 0, time);
            case PROC_EVENT_EXIT -> new ProcEvent(ProcEvent.Kind.EXIT, b.getInt(data), b.getInt(data + 4), 0, 0, time);
            default -> new ProcEvent(ProcEvent.Kind.OTHER, 0, 0, 0, 0, time);
        };
    }
}
