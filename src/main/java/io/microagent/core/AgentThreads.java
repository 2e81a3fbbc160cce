package io.microagent.core;

import java.time.Duration;

/** The one way the agent starts and stops its threads: daemons named {@code iot-micro-agent-*}. */
public final class AgentThreads {
    private AgentThreads() {
    }

    public static Thread start(String name, Runnable work) {
        Thread thread = new Thread(work, "iot-micro-agent-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits up to {@code bound} for {@code thread} (which may be null) to end. */
    public static void join(Thread thread, Duration bound) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(Math.max(1, bound.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
