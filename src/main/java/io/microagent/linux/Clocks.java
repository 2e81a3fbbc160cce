package io.microagent.linux;

/** Kernel clocks that /proc and netlink events use, which the JVM does not expose. */
public final class Clocks {
    private static final int CLOCK_MONOTONIC = 1;
    private static final int CLOCK_BOOTTIME = 7;

    private Clocks() {
    }

    /**
     * CLOCK_BOOTTIME minus CLOCK_MONOTONIC in nanoseconds: the time the machine was suspended. Process start
     * times in /proc count boot time; proc connector events carry monotonic time.
     */
    public static long suspendedNanos() {
        return nanos(CLOCK_BOOTTIME) - nanos(CLOCK_MONOTONIC);
    }

    private static long nanos(int clock) {
        long[] ts = new long[2];
        LibC.clock_gettime(clock, ts);
        return ts[0] * 1_000_000_000L + ts[1];
    }
}
