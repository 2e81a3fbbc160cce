package io.microagent.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The host's local time, as the schema's {@code TimestampLocal} and classic syslog lines need it: the offset from
 * UTC at an instant. The agent asks libc ({@code linux.SystemZone}); tests give a {@code java.time} zone.
 */
public interface LocalZone {
    ZoneOffset offsetAt(Instant instant);

    static LocalZone of(ZoneId zone) {
        return instant -> zone.getRules().getOffset(instant);
    }

    /**
     * The instant a local date-time names: with the offset in force then (in the hour a clock change repeats, the
     * offset after the change; in the hour it skips, the one before).
     */
    default Instant instantOf(LocalDateTime local) {
        ZoneOffset guess = offsetAt(local.toInstant(ZoneOffset.UTC));
        Instant first = local.toInstant(guess);
        ZoneOffset actual = offsetAt(first);
        return actual.equals(guess) ? first : local.toInstant(actual);
    }
}
