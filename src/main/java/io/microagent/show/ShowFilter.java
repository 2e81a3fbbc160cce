package io.microagent.show;

import io.microagent.config.Values;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Which payloads {@code show} prints: by event name (any case) and by time, both ends inclusive. */
record ShowFilter(Set<String> events, Instant since, Instant until) {
    static final ShowFilter ALL = new ShowFilter(Set.of(), Instant.MIN, Instant.MAX);

    static final String TIME_FORMS = "an instant (2026-11-28T05:00:00Z), a local date and time (2026-11-28 05:00,"
            + " 2026-11-28T05:00:30), a local date (2026-11-28), or a time ago (90s, 10m, 2h, 1d)";

    ShowFilter withEvents(String names) {
        return new ShowFilter(Set.of(names.split(",")).stream().map(n -> n.trim().toLowerCase(Locale.ROOT))
                .filter(n -> !n.isEmpty()).collect(Collectors.toUnmodifiableSet()), since, until);
    }

    ShowFilter withSince(Instant time) {
        return new ShowFilter(events, time, until);
    }

    ShowFilter withUntil(Instant time) {
        return new ShowFilter(events, since, time);
    }

    boolean shows(String eventName) {
        return events.isEmpty() || events.contains(eventName.toLowerCase(Locale.ROOT));
    }

    boolean shows(Instant time) {
        return time == null || !time.isBefore(since) && !time.isAfter(until);
    }

    /** Parses one of {@link #TIME_FORMS}; throws IllegalArgumentException naming them. */
    static Instant time(String text, Clock clock) {
        String t = text.trim();
        try {
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Instant.parse(t);
            }
            if (t.matches("\\d{4}-\\d\\d-\\d\\d")) {
                return LocalDate.parse(t).atStartOfDay(clock.getZone()).toInstant();
            }
            if (t.matches("\\d{4}-\\d\\d-\\d\\d[ T].*")) {
                return LocalDateTime.parse(t.replace(' ', 'T')).atZone(clock.getZone()).toInstant();
            }
            Duration ago = Values.duration(ChronoUnit.SECONDS, Duration.ZERO, Duration.ofDays(36_500)).parse(t);
            return clock.instant().minus(ago);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a time: " + text + " (accepted: " + TIME_FORMS + ")");
        }
    }

}
