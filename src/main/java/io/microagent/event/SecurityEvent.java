package io.microagent.event;

import java.time.Instant;
import java.util.List;

/**
 * One event of a security message before it is written: {@code payload} holds records whose Jackson names
 * are the schema's field names. The event's {@code Id} is given when it is written.
 */
public record SecurityEvent(EventType type, Category category, String name, Instant time, List<?> payload) {
    public SecurityEvent {
        payload = List.copyOf(payload);
    }

    public static SecurityEvent periodic(String name, Instant time, List<?> payload) {
        return new SecurityEvent(EventType.SECURITY, Category.PERIODIC, name, time, payload);
    }

    public static SecurityEvent operational(String name, Instant time, List<?> payload) {
        return new SecurityEvent(EventType.OPERATIONAL, Category.PERIODIC, name, time, payload);
    }

    /** The same event with part of its payload: a large event is split across messages this way. */
    public SecurityEvent withPayload(List<?> part) {
        return new SecurityEvent(type, category, name, time, part);
    }
}
