package io.microagent.bench;

import java.lang.management.ManagementFactory;

/**
 * A hello-world device application for the benchmark scripts. {@code hello}: print and exit. {@code heap}: wait
 * until the agent runs (when one is attached), settle, and print the heap in use after full collections.
 * {@code idle}: wait until the agent runs, say "ready", and idle until killed.
 */
public final class StartupProbe {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("hello")) {
            System.out.println("hello");
            return;
        }
        if (args[0].equals("idle")) { // for exec-storm.sh: runs until SIGTERM, which the agent's flush follows
            while (!String.valueOf(System.getProperty("io.microagent.running")).startsWith("running")) {
                Thread.sleep(5);
            }
            System.out.println("ready");
            Thread.sleep(Long.MAX_VALUE);
        }
        long start = System.nanoTime();
        boolean agent = args.length > 1 && args[1].equals("agent");
        while (agent && !String.valueOf(System.getProperty("io.microagent.running")).startsWith("running")) {
            Thread.sleep(5);
        }
        long readyMs = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(2000);
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        System.out.println("heap-used-bytes=" + used + " ready-after-main-ms=" + readyMs);
    }
}
