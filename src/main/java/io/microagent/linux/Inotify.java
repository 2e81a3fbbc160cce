package io.microagent.linux;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Changes in directories, from the kernel's inotify, as a descriptor a source's own thread polls beside its other
 * descriptors. The JDK's {@code WatchService} would do the same on a thread of its own (a device pays every thread
 * in resident memory). What changed is not kept: a reader looks at its files again when anything did.
 */
public final class Inotify implements AutoCloseable {
    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;
    private static final int IN_MODIFY = 0x2;
    private static final int IN_MOVED_FROM = 0x40;
    private static final int IN_MOVED_TO = 0x80;
    private static final int IN_CREATE = 0x100;
    private static final int IN_DELETE = 0x200;
    private static final int CHANGES = IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE;

    private final int fd;
    private final Memory events = new Memory(4096);
    private boolean closed;

    private Inotify(int fd) {
        this.fd = fd;
    }

    public static Inotify open() throws IOException {
        int fd = LibC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            throw new IOException("inotify_init1 failed (errno " + LibC.errno() + ")");
        }
        return new Inotify(fd);
    }

    /** Watches a directory for files written, created, renamed or deleted in it. */
    public void watch(Path directory) throws IOException {
        byte[] name = directory.toString().getBytes(StandardCharsets.UTF_8);
        if (LibC.inotify_add_watch(fd, Arrays.copyOf(name, name.length + 1), CHANGES) < 0) {
            throw new IOException("cannot watch " + directory + " (errno " + LibC.errno() + ")");
        }
    }

    public int fd() {
        return fd;
    }

    /** Reads what is queued without waiting; true when anything changed (an overflow of the queue included). */
    public synchronized boolean drain() {
        boolean any = false;
        while (!closed && LibC.read(fd, events, events.size()) > 0) {
            any = true;
        }
        return any;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
