package io.microagent.e2e;

/** A JVM that only waits (for ever, or the seconds given, then exits normally): an attach target, a host app. */
public final class IdleApp {
    private IdleApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) * 1000 : Long.MAX_VALUE);
    }
}
