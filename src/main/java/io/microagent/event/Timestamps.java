package io.microagent.event;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The schema's time formats: UTC ending in {@code Z}, and local time with its offset, both to milliseconds. */
public final class Timestamps {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    private Timestamps() {
    }

    public static String utc(Instant time) {
        return UTC.format(time);
    }

    public static String local(Instant time, LocalZone zone) {
        return LOCAL.format(time.atOffset(zone.offsetAt(time)));
    }
}
