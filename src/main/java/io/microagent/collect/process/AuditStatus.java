package io.microagent.collect.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** struct audit_status (linux/audit.h): the fields the agent reads and may change. */
record AuditStatus(int enabled, int failure, int pid, int rateLimit, int backlogLimit, long lost) {
    static final int MASK_ENABLED = 0x1;
    static final int MASK_PID = 0x4;
    static final int MASK_BACKLOG_LIMIT = 0x10;
    /** mask, enabled, failure, pid, rate_limit, backlog_limit, lost, backlog, feature_bitmap, wait_time(s). */
    static final int SIZE = 44;

    static AuditStatus parse(ByteBuffer payload) {
        if (payload.remaining() < 28) {
            throw new IllegalArgumentException("audit_status of " + payload.remaining() + " bytes");
        }
        return new AuditStatus(payload.getInt(4), payload.getInt(8), payload.getInt(12), payload.getInt(16),
                payload.getInt(20), Integer.toUnsignedLong(payload.getInt(24)));
    }

    /** An AUDIT_SET payload changing only the fields in {@code mask}. */
    static byte[] set(int mask, int enabled, int pid, int backlogLimit) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0, mask).putInt(4, enabled).putInt(12, pid).putInt(20, backlogLimit);
        return b.array();
    }
}
