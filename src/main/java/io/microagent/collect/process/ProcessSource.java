package io.microagent.collect.process;

import java.io.IOException;
import java.time.Instant;

/** Where executions come from in one {@code Process_Mode}; it pushes each one to the collector's sink. */
interface ProcessSource {
    ProcessMode mode();

    /** Opens the kernel interface and starts the reader thread; fails when the interface is not available here. */
    void start() throws IOException;

    /** At window close: what the source still holds back (forks that did not exec) is pushed now. */
    default void windowClosing(Instant windowEnd) {
    }

    /** Stops the thread, closes the interface, and puts back whatever the source changed on the host. */
    void stop();
}
