package io.microagent.collect;

import io.microagent.event.SecurityEvent;
import java.time.Instant;
import java.util.List;

/**
 * Turns one source into events. It knows nothing of windows' lengths, JSON or outputs: when its priority
 * group's window closes, the scheduler asks it for what is due.
 */
public interface Collector {
    /** The event name it produces ({@code ProcessCreate}, {@code Heartbeat}, ...). */
    String name();

    /** The events due when the window closes at {@code windowEnd}; periodic collectors take their snapshot here. */
    List<SecurityEvent> collect(Instant windowEnd);

    /**
     * What is still pending when the agent stops (an aggregation window's content, counts not yet reported).
     * Periodic snapshots return nothing: they are not worth the host's shutdown time.
     */
    default List<SecurityEvent> flush(Instant now) {
        return List.of();
    }

    /** Opens the collector's source (sockets, threads). A failure disables only this collector. */
    default void start() throws Exception {
    }

    /** Closes the source and puts back anything the collector changed on the host. */
    default void stop() {
    }

    /** Whether {@link #stop()} puts back something it changed on the host (worth waiting for at exit). */
    default boolean restoresOnStop() {
        return false;
    }

    /** How the collector gets its data ("Netlink", "Polling", ...), for status and logs. */
    default String mode() {
        return "";
    }

    /** What the collector counted besides events (unreadable processes, malformed input ...), for status. */
    default String counters() {
        return "";
    }
}
