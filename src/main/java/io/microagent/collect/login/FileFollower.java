package io.microagent.collect.login;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows a file as {@code tail -F} does, for a consumer of complete records (lines, utmp entries): from its end
 * on a first start (or from its start, for files read whole), from the kept position after a restart when the
 * file is still the same one (device and inode), across rotation by rename (the old file is read to its end
 * first), copy-and-truncate (a file shorter than the position starts again at 0) and re-creation.
 */
final class FileFollower implements AutoCloseable {
    /** Takes complete records from {@code data} and says how many bytes it used; the rest is offered again. */
    interface Consumer {
        int consume(ByteBuffer data, boolean fileEnds);
    }

    private static final int CHUNK = 64 * 1024;

    /** A read buffer, shared by the followers one thread polls one after another (a device keeps one, not four). */
    static ByteBuffer buffer() {
        return ByteBuffer.allocate(CHUNK);
    }

    private final Path path;
    private final String key;
    private final Positions positions;
    private final boolean fromEnd;
    private final Consumer consumer;
    private final ByteBuffer buffer;
    private FileChannel channel;
    private long device;
    private long inode;
    private long offset;

    FileFollower(Path path, Positions positions, boolean fromEnd, Consumer consumer, ByteBuffer buffer) {
        this.path = path;
        this.buffer = buffer;
        this.key = path.toString();
        this.positions = positions;
        this.fromEnd = fromEnd;
        this.consumer = consumer;
    }

    Path path() {
        return path;
    }

    /** Reads whatever is new; returns without waiting. */
    void poll() throws IOException {
        long[] now = identity();
        if (channel != null && (now == null || now[0] != device || now[1] != inode)) {
            drain(true); // rotated away or deleted: what it still holds comes first
            closeChannel();
        }
        if (channel == null) {
            if (now == null || !open(now)) {
                return;
            }
        }
        if (channel.size() < offset) {
            offset = 0; // copied and truncated
        }
        drain(false);
    }

    private boolean open(long[] id) throws IOException {
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        long[] opened = identity();
        if (opened == null || opened[0] != id[0] || opened[1] != id[1]) {
            closeChannel(); // replaced while opening: the next poll takes the new one
            return false;
        }
        device = id[0];
        inode = id[1];
        Positions.Position kept = positions.get(key);
        if (kept != null && kept.device() == device && kept.inode() == inode && kept.offset() <= channel.size()) {
            offset = kept.offset();
        } else if (kept == null && fromEnd) {
            offset = channel.size(); // first start: what is already there is history, not news
        } else {
            offset = 0; // a file that appeared or replaced the one we knew: all of it is new
        }
        save();
        return true;
    }

    private void drain(boolean fileEnds) throws IOException {
        while (true) {
            buffer.clear();
            if (channel.read(buffer, offset) <= 0) {
                break;
            }
            buffer.flip();
            int used = consumer.consume(buffer, false);
            if (used == 0 && buffer.limit() == buffer.capacity()) {
                used = buffer.limit(); // no record fits in a whole chunk (consumers cut such records themselves)
            }
            offset += used;
            if (used == 0) {
                break; // an incomplete record at the end: wait for the rest
            }
        }
        if (fileEnds) { // a rotated file grows no more: its incomplete last record is offered as it is
            buffer.clear();
            channel.read(buffer, offset);
            buffer.flip();
            offset += consumer.consume(buffer, true);
        }
        save();
    }

    private void save() {
        positions.put(key, new Positions.Position(device, inode, offset));
    }

    private long[] identity() throws IOException {
        try {
            return new long[] {((Number) Files.getAttribute(path, "unix:dev")).longValue(),
                    ((Number) Files.getAttribute(path, "unix:ino")).longValue()};
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a read-only file
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
