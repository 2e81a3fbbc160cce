package io.microagent.collect.login;

import io.microagent.event.LocalZone;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One syslog file line split into time, program, process id and message, as rsyslog, syslog-ng and BusyBox
 * write them: {@code Nov 27 18:04:05 host sshd[42]: ...} (classic: no year, local time), {@code
 * 2026-11-27T18:04:05.123456+00:00 host sshd[42]: ...} (RFC 3339), BusyBox's {@code ... host authpriv.info
 * sshd[42]: ...}. A classic time takes the year that puts it nearest before now (a December line read in
 * January is last year's).
 */
public record SyslogLine(Instant time, String program, Integer pid, String message) {
    private static final Pattern CLASSIC = Pattern.compile(
            "([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d+)? (\\S+) (.*)");
    private static final Pattern RFC3339 = Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\S+) (\\S+) (.*)");
    private static final Pattern TAG = Pattern.compile("(?:[a-z0-9]+\\.[a-z]+ )?([^\\s\\[:]+)(?:\\[(\\d+)\\])?: (.*)",
            Pattern.DOTALL);
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    /** The line's parts, or null when it is not a syslog line of a known shape. */
    public static SyslogLine parse(String line, Instant now, LocalZone zone) {
        Instant time;
        String rest;
        Matcher m = CLASSIC.matcher(line);
        if (m.matches()) {
            time = classic(m, now, zone);
            rest = m.group(7);
        } else if ((m = RFC3339.matcher(line)).matches()) {
            try {
                time = OffsetDateTime.parse(m.group(1), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
            rest = m.group(3);
        } else {
            return null;
        }
        if (time == null) {
            return null;
        }
        Matcher tag = TAG.matcher(rest);
        if (!tag.matches()) {
            return null;
        }
        Integer pid = tag.group(2) == null ? null : parsePid(tag.group(2));
        return new SyslogLine(time, tag.group(1), pid, tag.group(3));
    }

    private static Instant classic(Matcher m, Instant now, LocalZone zone) {
        int month = -1;
        for (int i = 0; i < 12; i++) {
            if (MONTHS[i].equals(m.group(1))) {
                month = i + 1;
            }
        }
        if (month < 0) {
            return null;
        }
        int year = now.atOffset(zone.offsetAt(now)).getYear();
        for (int y = year + 1; y >= year - 4; y--) { // the latest year that is not more than a day ahead of now
            try {
                Instant t = zone.instantOf(LocalDateTime.of(y, month, Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
                if (!t.isAfter(now.plusSeconds(86_400))) {
                    return t;
                }
            } catch (DateTimeException | NumberFormatException e) {
                // Feb 29 of a year that has none: an earlier one; Feb 30 or 25:00: none at all
            }
        }
        return null;
    }

    private static Integer parsePid(String digits) {
        try {
            return Integer.valueOf(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
