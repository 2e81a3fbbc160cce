package io.microagent.entry;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The application's start-up burst, seen as the JVM's class loading: with {@code -javaagent} the agent waits until
 * it is over before it loads and starts, so that its own class loading, compiling and collectors' start do not
 * compete with the application's for the device's cores. Over: fewer than {@link #QUIET_CLASSES} classes loaded in
 * {@link #QUIET_MS}, or {@link #MAX_MS} after the JVM's start at the latest.
 */
final class StartUpBurst {
    static final int QUIET_CLASSES = 10;
    static final long QUIET_MS = 300;
    static final long POLL_MS = 100;
    static final long MAX_MS = 10_000;

    private StartUpBurst() {
    }

    /**
     * Returns once the JVM's class loading has been quiet for a while, or at {@link #MAX_MS}; at once in a runtime
     * without the java.management module (a jlink image), which has nothing to tell it by.
     */
    static void awaitEnd() throws InterruptedException {
        if (ModuleLayer.boot().findModule("java.management").isEmpty()) {
            return;
        }
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        awaitEnd(ManagementFactory.getClassLoadingMXBean()::getTotalLoadedClassCount,
                Math.max(0, MAX_MS - (System.currentTimeMillis() - started)));
    }

    /**
     * @param loaded classes loaded so far
     * @param maxMs  how long to wait at most
     * @return milliseconds waited
     */
    static long awaitEnd(LongSupplier loaded, long maxMs) throws InterruptedException {
        long start = System.nanoTime();
        long quietSince = start;
        long countedAt = loaded.getAsLong();
        while (true) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (waited >= maxMs) {
                return waited;
            }
            Thread.sleep(Math.min(POLL_MS, maxMs - waited));
            long now = loaded.getAsLong();
            if (now - countedAt >= QUIET_CLASSES) {
                quietSince = System.nanoTime(); // still loading: the quiet spell starts again
                countedAt = now;
            } else if ((System.nanoTime() - quietSince) / 1_000_000 >= QUIET_MS) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
    }
}
