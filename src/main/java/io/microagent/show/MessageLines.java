package io.microagent.show;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The lines of a file of security messages (JSON Lines), or of standard input, with their numbers. A message is
 * at most 256 KB, so a line over {@link #MAX_LINE} is no message: it is passed over (reported as too long)
 * rather than held. With {@code follow} the end of a file is a wait, as with {@code tail -F}: a file cut short
 * or replaced is read again from its start.
 */
final class MessageLines implements AutoCloseable {
    static final int MAX_LINE = 1 << 20;
    private static final long FOLLOW_PAUSE_MS = 250;

    /** A line's number and text, or {@code text == null} when it was longer than {@link #MAX_LINE}. */
    record Line(long number, String text) {
    }

    private final Path file;
    private final boolean follow;
    private InputStream in;
    private Object identity;
    private long position;
    private long number;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkStart;
    private int chunkEnd;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean tooLong;

    private MessageLines(Path file, InputStream in, boolean follow) {
        this.file = file;
        this.in = in;
        this.follow = follow;
    }

    static MessageLines of(InputStream in) {
        return new MessageLines(null, in, false);
    }

    static MessageLines of(Path file, boolean follow) throws IOException {
        MessageLines lines = new MessageLines(file, null, follow);
        lines.open();
        return lines;
    }

    /** The next line, or null at the end (never, when following a file). */
    Line next() throws IOException, InterruptedException {
        while (true) {
            for (int i = chunkStart; i < chunkEnd; i++) {
                if (chunk[i] == '\n') {
                    Line line = take(i);
                    chunkStart = i + 1;
                    return line;
                }
            }
            keep(chunkStart, chunkEnd);
            chunkStart = chunkEnd = 0;
            int n = in.read(chunk);
            if (n > 0) {
                chunkEnd = n;
                position += n;
                continue;
            }
            if (!follow) {
                return pending.size() > 0 || tooLong ? take(0) : null; // a last line without its newline
            }
            Thread.sleep(FOLLOW_PAUSE_MS);
            reopenIfReplaced();
        }
    }

    private Line take(int end) {
        keep(chunkStart, end);
        number++;
        Line line = new Line(number, tooLong ? null : pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        tooLong = false;
        return line;
    }

    private void keep(int from, int to) {
        if (tooLong || to <= from) {
            return;
        }
        if (pending.size() + (to - from) > MAX_LINE) {
            tooLong = true;
            pending.reset();
            return;
        }
        pending.write(chunk, from, to - from);
    }

    private void open() throws IOException {
        in = Files.newInputStream(file);
        identity = Files.readAttributes(file, "unix:ino").get("ino");
        position = 0;
    }

    /** Rotated (another file under the name) or truncated: start again at the new content's beginning. */
    private void reopenIfReplaced() throws IOException {
        try {
            Object now = Files.readAttributes(file, "unix:ino").get("ino");
            if (!now.equals(identity) || Files.size(file) < position) {
                in.close();
                pending.reset();
                tooLong = false;
                open();
            }
        } catch (NoSuchFileException e) {
            // between a rotation's rename and the new file: wait for it
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
