package io.microagent.collect.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.microagent.linux.NetlinkMessages;
import io.microagent.linux.SocketFilter;
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
    static final int PROC_EVENT_UID = 0x4;
    static final int PROC_EVENT_EXIT = 0x80000000;
    /** what, cpu, timestamp_ns: the header of struct proc_event before its union. */
    static final int PROC_EVENT_HEADER = 16;
    /** Where a datagram's proc_event starts (after nlmsghdr and cn_msg), and its union after that header. */
    private static final int WHAT_AT = NetlinkMessages.HEADER + CN_MSG_LEN;
    private static final int DATA_AT = WHAT_AT + PROC_EVENT_HEADER;
    /** Up to the fork's child_tgid: every proc_event is this long at least (its union is as large as a fork's). */
    private static final int FILTERED_LENGTH = DATA_AT + 16;

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
     * The events the collector uses, on two sockets: {@code execs} only the execs, which the reader must take at
     * once (the process may be gone soon); the other socket a process (not a thread) forked or ended, and uid
     * changes, which can wait for the next exec. The kernel drops the rest (threads of every JVM and server on the
     * host, comm and session changes) before they wake the reader. A message too short to judge goes to the
     * other socket, for the parser to count.
     */
    public static SocketFilter filter(boolean execs) {
        if (execs) {
            return new SocketFilter()
                    .loadLength().jumpIfBelow(FILTERED_LENGTH, SocketFilter.DROP)
                    .loadWord(WHAT_AT).jumpIfEquals(SocketFilter.word(PROC_EVENT_EXEC), SocketFilter.ACCEPT)
                    .end(SocketFilter.DROP);
        }
        int fork = 1;
        int exit = 2;
        return new SocketFilter()
                .loadLength().jumpIfBelow(FILTERED_LENGTH, SocketFilter.ACCEPT)
                .loadWord(WHAT_AT)
                .jumpIfEquals(SocketFilter.word(PROC_EVENT_FORK), fork)
                .jumpIfEquals(SocketFilter.word(PROC_EVENT_EXIT), exit)
                .jumpIfEquals(SocketFilter.word(PROC_EVENT_UID), SocketFilter.ACCEPT)
                .end(SocketFilter.DROP)
                .label(fork).loadWord(DATA_AT + 8).copyToX().loadWord(DATA_AT + 12) // child_pid, child_tgid
                .jumpIfEqualsX(SocketFilter.ACCEPT, SocketFilter.DROP)
                .label(exit).loadWord(DATA_AT).copyToX().loadWord(DATA_AT + 4) // process_pid, process_tgid
                .jumpIfEqualsX(SocketFilter.ACCEPT, SocketFilter.DROP);
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
            case PROC_EVENT_UID -> 12;
            default -> 0;
        };
        if (dataLength < PROC_EVENT_HEADER + need) {
            return null;
        }
        return switch (what) {
            case PROC_EVENT_FORK -> new ProcEvent(ProcEvent.Kind.FORK, b.getInt(data + 8), b.getInt(data + 12),
                    b.getInt(data), b.getInt(data + 4), -1, time);
            case PROC_EVENT_EXEC -> event(ProcEvent.Kind.EXEC, b, data, -1, time);
            case PROC_EVENT_UID -> event(ProcEvent.Kind.UID, b, data, b.getInt(data + 8), time);
            case PROC_EVENT_EXIT -> event(ProcEvent.Kind.EXIT, b, data, -1, time);
            default -> new ProcEvent(ProcEvent.Kind.OTHER, 0, 0, 0, 0, -1, time);
        };
    }

    /** process_pid and process_tgid lead every event but a fork. */
    private static ProcEvent event(ProcEvent.Kind kind, ByteBuffer b, int data, int uid, long time) {
        return new ProcEvent(kind, b.getInt(data), b.getInt(data + 4), 0, 0, uid, time);
    }
}
