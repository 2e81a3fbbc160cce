package io.microagent.linux;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads files of one {@code /proc/PID} directory into a reused native buffer, in one of two ways. {@link #open}
 * holds a directory descriptor ({@code openat}, {@code readlinkat}): if the process dies and its pid is reused,
 * reads through the old descriptor fail rather than return the new process's data. {@link #use} opens each file
 * by its path: two system calls fewer, for a caller that tells otherwise whether the pid still is its process.
 * One reader thread owns an instance.
 */
public final class ProcDirectory implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int MAX_FILE = 4 << 20;

    /** Shared and without a stack trace: a process that is gone is ordinary here, not exceptional. */
    private static final IOException GONE = new IOException("process gone") {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final Memory buffer;
    private final Memory path = new Memory(4096);
    private final Map<String, Memory> names = new HashMap<>();
    private final Map<String, byte[]> nameBytes = new HashMap<>();
    private int dirfd = -1;
    /** In path mode, where a file name goes in {@link #path}, after the directory and a slash; else -1. */
    private int nameAt = -1;

    public ProcDirectory(int bufferBytes) {
        buffer = new Memory(bufferBytes);
    }

    /** Opens {@code directory} (a host path such as /proc/42); false when it is gone. */
    public boolean open(String directory) {
        close();
        byte[] bytes = directory.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= path.size()) {
            return false;
        }
        path.write(0, bytes, 0, bytes.length);
        path.setByte(bytes.length, (byte) 0);
        dirfd = LibC.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return dirfd >= 0;
    }

    /** Reads the files of {@code directory} by path from now on, without opening it. */
    public void use(String directory) {
        close();
        byte[] bytes = directory.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 64 >= path.size()) {
            throw new IllegalArgumentException("path too long: " + directory);
        }
        path.write(0, bytes, 0, bytes.length);
        path.setByte(bytes.length, (byte) '/');
        nameAt = bytes.length + 1;
    }

    /** The file's name, to pass with the directory descriptor, or its whole path in path mode. */
    private Memory file(String name) {
        if (nameAt < 0) {
            return name(name);
        }
        byte[] bytes = nameBytes.computeIfAbsent(name, n -> (n + '\0').getBytes(StandardCharsets.UTF_8));
        path.write(nameAt, bytes, 0, bytes.length);
        return path;
    }

    /** File names are few and fixed ("stat", "cmdline"): each is encoded once. */
    private Memory name(String name) {
        return names.computeIfAbsent(name, n -> {
            byte[] bytes = n.getBytes(StandardCharsets.UTF_8);
            Memory m = new Memory(bytes.length + 1L);
            m.write(0, bytes, 0, bytes.length);
            m.setByte(bytes.length, (byte) 0);
            return m;
        });
    }

    /** The whole file (up to 4 MiB), as bytes. */
    public byte[] read(String name) throws IOException {
        int fd = LibC.openat(dirfd, file(name), O_RDONLY | O_CLOEXEC); // dirfd is ignored for a whole path
        if (fd < 0) {
            throw GONE;
        }
        try {
            long total = 0;
            Memory target = buffer;
            byte[] grown = null;
            while (true) {
                long wanted = target.size() - total;
                long n = LibC.read(fd, target.share(total), wanted);
                if (n < 0) {
                    throw GONE;
                }
                total += n;
                if (n < wanted) {
                    break; // /proc files answer short only at their end: no second read for the 0
                }
                if (total == target.size()) {
                    // Longer than the buffer (a huge command line): copy out and continue in a larger one.
                    if (target.size() >= MAX_FILE) {
                        break;
                    }
                    grown = target.getByteArray(0, (int) total);
                    Memory larger = new Memory(Math.min(target.size() * 4, MAX_FILE));
                    larger.write(0, grown, 0, grown.length);
                    target = larger;
                }
            }
            return target.getByteArray(0, (int) total);
        } finally {
            LibC.close(fd);
        }
    }

    public String readText(String name) throws IOException {
        return new String(read(name), StandardCharsets.UTF_8);
    }

    /** The target of a symbolic link in the directory, or null when it cannot be read. */
    public String readLink(String name) {
        long n = LibC.readlinkat(dirfd, file(name), buffer, buffer.size());
        return n < 0 ? null : new String(buffer.getByteArray(0, (int) n), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        nameAt = -1;
        if (dirfd >= 0) {
            LibC.close(dirfd);
            dirfd = -1;
        }
    }
}
