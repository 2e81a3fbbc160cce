package io.microagent.e2e;

/** A JVM that only waits: a target for the attach command's tests. */
public final class IdleApp {
    private IdleApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
