package io.microagent.collect.login;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Complete lines from a followed file's bytes (UTF-8; undecodable bytes become U+FFFD). A line longer than
 * {@link #MAX_LINE} is cut there, the rest up to its newline passed over and counted: no real sign-in line is
 * that long, and nothing is buffered without bound.
 */
final class LineSplitter implements FileFollower.Consumer {
    static final int MAX_LINE = 16 * 1024;

    private final Consumer<String> lines;
    private boolean skipping;
    private long cut;

    LineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    long cutLines() {
        return cut;
    }

    @Override
    public int consume(ByteBuffer data, boolean fileEnds) {
        int start = data.position();
        int end = data.limit();
        int used = 0;
        int lineStart = start;
        for (int i = start; i < end; i++) {
            if (data.get(i) != '\n') {
                if (i - lineStart >= MAX_LINE && !skipping) {
                    deliver(data, lineStart, i);
                    cut++;
                    skipping = true;
                }
                continue;
            }
            if (!skipping) {
                deliver(data, lineStart, i);
            }
            skipping = false;
            lineStart = i + 1;
            used = lineStart - start;
        }
        if (skipping) {
            return end - start; // inside an over-long line: nothing of it is kept
        }
        if (fileEnds && lineStart < end) {
            deliver(data, lineStart, end);
            return end - start;
        }
        return used;
    }

    private void deliver(ByteBuffer data, int from, int to) {
        byte[] bytes = new byte[to - from];
        data.get(from, bytes);
        String line = new String(bytes, StandardCharsets.UTF_8);
        lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
}
