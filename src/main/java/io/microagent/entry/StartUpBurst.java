package io.microagent.entry;

import java.lang.instrument.Instrumentation;
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
     * Returns once the JVM's class loading has been quiet for a while, or at {@link #MAX_MS} after the JVM started.
     * Counted through the agent's instrumentation, not the management beans: those would load their 40 classes
     * and native library into every application for this alone.
     */
    static void awaitEnd(Instrumentation instrumentation) throws InterruptedException {
        long sinceStart = ProcessHandle.current().info().startInstant()
                .map(s -> System.currentTimeMillis() - s.toEpochMilli()).orElse(0L);
        awaitEnd(() -> instrumentation.getAllLoadedClasses().length, Math.max(0, MAX_MS - sinceStart));
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
