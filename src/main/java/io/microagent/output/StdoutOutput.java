package io.microagent.output;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Prints each message as one JSON line on the host's standard output. */
public final class StdoutOutput implements Output {
    private final PrintStream out;

    public StdoutOutput(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "Stdout";
    }

    @Override
    public CompletableFuture<Void> send(byte[] message) {
        String line = new String(message, StandardCharsets.UTF_8);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
        return out.checkError() ? CompletableFuture.failedFuture(new java.io.IOException("standard output failed"))
                : CompletableFuture.completedFuture(null);
    }
}
