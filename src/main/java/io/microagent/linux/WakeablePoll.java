package io.microagent.linux;

import java.nio.ByteOrder;

/**
 * Waits for a descriptor in poll(2) together with an eventfd that another thread writes to end the wait: a
 * source's thread then leaves its native wait the moment its source is stopped. A thread still in a native call
 * when the JVM exits costs the exit 300 ms (HotSpot waits for it). Without eventfd, waits end at their timeout.
 */
public final class WakeablePoll implements AutoCloseable {
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    public static final int POLLIN = 1;

    private final int wakeFd = LibC.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    private volatile boolean woken;
    private boolean closed;

    /** Waits up to {@code millis} for {@code events} on {@code fd}; true when they came, false on timeout or wake. */
    public boolean await(int fd, int events, int millis) {
        return awaitEither(fd, -1, events, millis);
    }

    /** As {@link #await}, on two descriptors: true when either has the events ({@code other} -1: none). */
    public boolean awaitEither(int fd, int other, int events, int millis) {
        if (woken) {
            return false;
        }
        // struct pollfd per descriptor: fd, then events (low half) and revents (high half) of the second int.
        // poll(2) passes over a negative fd.
        int[] pollfds = {fd, events, other, events, wakeFd, POLLIN};
        int ready = LibC.poll(pollfds, 3, millis);
        return ready > 0 && !woken && (revents(pollfds[1]) | revents(pollfds[3])) != 0;
    }

    /** Ends the current wait and every later one. */
    public synchronized void wake() {
        woken = true;
        if (wakeFd >= 0 && !closed) {
            LibC.write(wakeFd, new long[] {1}, 8);
        }
    }

    public boolean woken() {
        return woken;
    }

    /** Only once no thread waits any more. */
    @Override
    public synchronized void close() {
        if (!closed && wakeFd >= 0) {
            closed = true;
            LibC.close(wakeFd);
        }
    }

    /** struct pollfd's revents: the short after events in the second int. */
    private static int revents(int eventsAndRevents) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? eventsAndRevents >>> 16
                : eventsAndRevents & 0xffff;
    }
}
