package io.microagent.output;

import java.util.concurrent.CompletableFuture;

/** Where messages go. Each output gets every message; the outbox retries what an output fails to take. */
public interface Output {
    /** {@code IotHub}, {@code File}, {@code Stdout}: used in statistics and log lines. */
    String name();

    /** False while the output cannot take messages yet (no IoT Hub client seen): its messages wait. */
    default boolean ready() {
        return true;
    }

    /** What the output waits for or sends through, for status; empty when there is nothing to say. */
    default String describe() {
        return "";
    }

    /** Sends one message (UTF-8 JSON); completes when it was taken, or exceptionally. */
    CompletableFuture<Void> send(byte[] message);
}
