package io.microagent.linux;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.microagent.event.LocalZone;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The host's time zone as libc has it ({@code localtime_r}'s {@code tm_gmtoff}: {@code TZ}, else
 * {@code /etc/localtime}, as for every other program on the host), without the JVM's time-zone database: loading
 * it (to know one zone) costs a device 0.7 MB of resident memory, unless the application has loaded it already.
 * Where the JVM's zone was set apart ({@code -Duser.timezone}) or libc cannot be called, the JVM's default zone.
 */
public final class SystemZone implements LocalZone {
    /** struct tm: nine ints, then tm_gmtoff, a C long (aligned as one). */
    private static final int GMTOFF = 9 * Integer.BYTES + (NativeLong.SIZE - 9 * Integer.BYTES % NativeLong.SIZE)
            % NativeLong.SIZE;
    private final Memory time = new Memory(NativeLong.SIZE); // time_t: a C long on Linux
    private final Memory tm = new Memory(64);

    SystemZone() {
        LibC.tzset();
    }

    public static LocalZone get() {
        String set = System.getProperty("user.timezone");
        if (set == null || set.isEmpty()) {
            try {
                SystemZone zone = new SystemZone();
                zone.offsetAt(Instant.now());
                return zone;
            } catch (LinkageError | RuntimeException e) {
                // no libc to ask: the JVM's zone
            }
        }
        return LocalZone.of(ZoneId.systemDefault());
    }

    @Override
    public synchronized ZoneOffset offsetAt(Instant instant) {
        time.setNativeLong(0, new NativeLong(instant.getEpochSecond()));
        if (LibC.localtime_r(time, tm) == null) {
            throw new IllegalStateException("localtime_r failed for " + instant);
        }
        return ZoneOffset.ofTotalSeconds((int) tm.getNativeLong(GMTOFF).longValue());
    }
}
