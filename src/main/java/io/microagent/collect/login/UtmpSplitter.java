package io.microagent.collect.login;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Complete 384-byte utmp records from a followed wtmp or btmp file. A record of an unknown type is skipped and
 * counted; an incomplete record at the end waits for its rest, and in a file that grows no more is counted.
 */
final class UtmpSplitter implements FileFollower.Consumer {
    private final Consumer<UtmpRecord> records;
    private long skipped;

    UtmpSplitter(Consumer<UtmpRecord> records) {
        this.records = records;
    }

    long skipped() {
        return skipped;
    }

    @Override
    public int consume(ByteBuffer data, boolean fileEnds) {
        int start = data.position();
        while (data.remaining() >= UtmpRecord.SIZE) {
            UtmpRecord r = UtmpRecord.parse(data);
            if (r == null) {
                skipped++;
            } else {
                records.accept(r);
            }
        }
        if (fileEnds && data.hasRemaining()) {
            skipped++; // a truncated last record in a file that was rotated away
            data.position(data.limit());
        }
        return data.position() - start;
    }
}
