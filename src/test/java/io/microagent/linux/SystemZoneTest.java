package io.microagent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** libc's offsets are java.time's, hour by hour through two years of clock changes, in zones of every kind. */
class SystemZoneTest {
    interface Environment extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);

        void tzset();
    }

    static final Environment ENV = Native.load("c", Environment.class);

    @Test
    void offsetsAndLocalTimesAreJavaTimesInEveryKindOfZone() {
        for (String id : new String[] {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
                "UTC"}) {
            ENV.setenv("TZ", id, 1);
            try {
                SystemZone libc = new SystemZone();
                ZoneId java = ZoneId.of(id);
                Instant end = Instant.parse("2027-01-01T00:00:00Z");
                Instant t = Instant.parse("2025-01-01T00:00:00Z");
                for (; t.isBefore(end); t = t.plus(Duration.ofMinutes(59))) {
                    assertEquals(java.getRules().getOffset(t), libc.offsetAt(t), id + " at " + t);
                    LocalDateTime local = LocalDateTime.ofInstant(t, java);
                    if (java.getRules().getValidOffsets(local).size() == 1) { // not in an hour a change repeats
                        assertEquals(t, libc.instantOf(local), id + " local " + local);
                    }
                }
            } finally {
                ENV.unsetenv("TZ");
                ENV.tzset();
            }
        }
    }
}
