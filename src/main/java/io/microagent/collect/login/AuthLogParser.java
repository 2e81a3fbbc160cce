package io.microagent.collect.login;

import io.microagent.event.LocalZone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sign-in records in syslog lines: sshd (and {@code sshd-session}, as OpenSSH 9.8 and later name the
 * per-connection process), {@code login} on consoles, and dropbear. One instance per followed file: it
 * remembers, per sshd process, an invalid user announced but not yet tried, so that an attempt for an unknown
 * user counts once whether sshd logs {@code Invalid user}, {@code Failed ... for invalid user}, or both.
 */
public final class AuthLogParser {
    /** What a line was: sign-in records, another program's or another kind of line, or not syslog at all. */
    public enum Kind { SIGN_IN, OTHER, GARBLED }

    public record Result(Kind kind, List<Login> logins) {
        static final Result OTHER = new Result(Kind.OTHER, List.of());
        static final Result GARBLED = new Result(Kind.GARBLED, List.of());
    }

    private static final Pattern REPEATED = Pattern.compile("message repeated (\\d+) times: \\[ ?(.*?)\\]?");
    private static final Pattern ACCEPTED = Pattern.compile("Accepted (\\S+) for (.+?) from (\\S+) port (\\d+)(?: .*)?");
    private static final Pattern FAILED = Pattern.compile(
            "Failed (\\S+) for (invalid user )?(.*?) from (\\S+) port (\\d+)(?: .*)?");
    private static final Pattern INVALID = Pattern.compile("Invalid user (.*?) from (\\S+)(?: port (\\d+))?");
    private static final Pattern SESSION = Pattern.compile(
            "pam_unix\\((sshd|login|sshd-session):session\\): session (opened|closed) for user ([^\\s(]+).*");
    private static final Pattern LOGIN_FAILED = Pattern.compile(
            "FAILED LOGIN \\(\\d+\\) on '(?:/dev/)?([^']*)'(?: from '([^']*)')? FOR '([^']*)'.*");
    private static final Pattern DROPBEAR_OK = Pattern.compile(
            "(?:Password|Pubkey) auth succeeded for '([^']*)' (?:with .* )?from (\\S+):(\\d+)");
    private static final Pattern DROPBEAR_BAD = Pattern.compile("Bad password attempt for '([^']*)' from (\\S+):(\\d+)");
    private static final Pattern DROPBEAR_NOUSER = Pattern.compile(
            "Login attempt for nonexistent user(?: '([^']*)')? from (\\S+):(\\d+)");
    private static final int MAX_PENDING = 1024;

    private final String source;
    private final LocalZone zone;
    /** sshd pid -> an Invalid user line already reported as the failure of its first attempt. */
    private final Map<Integer, String> invalidAnnounced = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
            return size() > MAX_PENDING;
        }
    };

    /** @param source the payload's {@code Source}: {@code auth.log}, {@code journal} ... */
    public AuthLogParser(String source, LocalZone zone) {
        this.source = source;
        this.zone = zone;
    }

    public Result parse(String line, Instant now) {
        SyslogLine l = SyslogLine.parse(line, now, zone);
        if (l == null) {
            return Result.GARBLED;
        }
        return message(l.time(), l.program(), l.pid(), l.message());
    }

    /** A record whose time, program and pid came apart from its text (the journal's fields). */
    public Result message(Instant time, String program, Integer pid, String message) {
        int times = 1;
        Matcher repeated = REPEATED.matcher(message);
        if (repeated.matches()) {
            times = Integer.parseInt(repeated.group(1).length() > 6 ? "0" : repeated.group(1));
            message = repeated.group(2);
        }
        List<Login> one = switch (program) {
            case "sshd", "sshd-session" -> sshd(time, pid, message);
            case "login" -> login(time, pid, message);
            case "dropbear" -> dropbear(time, pid, message);
            default -> null;
        };
        if (one == null) {
            return Result.OTHER;
        }
        List<Login> all = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            all.addAll(one);
        }
        return new Result(Kind.SIGN_IN, all);
    }

    private List<Login> sshd(Instant time, Integer pid, String message) {
        Matcher m = ACCEPTED.matcher(message);
        if (m.matches()) {
            return List.of(new Login(time, Login.LOGIN, pid, m.group(2), "ssh", m.group(3), source));
        }
        if ((m = FAILED.matcher(message)).matches()) {
            if (m.group(2) != null && pid != null && m.group(3).equals(invalidAnnounced.remove(pid))) {
                return List.of(); // its Invalid user line was this attempt's failure
            }
            return List.of(new Login(time, Login.FAILED, pid, m.group(3), "ssh", m.group(4), source));
        }
        if ((m = INVALID.matcher(message)).matches()) {
            if (pid != null) {
                invalidAnnounced.put(pid, m.group(1));
            }
            return List.of(new Login(time, Login.FAILED, pid, m.group(1), "ssh", m.group(2), source));
        }
        if ((m = SESSION.matcher(message)).matches() && m.group(2).equals("closed")) {
            return List.of(new Login(time, Login.LOGOUT, pid, m.group(3), "ssh", null, source));
        }
        return null; // session opened: the Accepted line was this sign-in
    }

    private List<Login> login(Instant time, Integer pid, String message) {
        Matcher m = SESSION.matcher(message);
        if (m.matches()) {
            return List.of(new Login(time, m.group(2).equals("opened") ? Login.LOGIN : Login.LOGOUT, pid, m.group(3),
                    null, Login.LOCAL, source));
        }
        if ((m = LOGIN_FAILED.matcher(message)).matches()) {
            return List.of(new Login(time, Login.FAILED, pid, m.group(3), m.group(1),
                    m.group(2) == null || m.group(2).isEmpty() ? Login.LOCAL : m.group(2), source));
        }
        return null;
    }

    private List<Login> dropbear(Instant time, Integer pid, String message) {
        Matcher m = DROPBEAR_OK.matcher(message);
        if (m.matches()) {
            return List.of(new Login(time, Login.LOGIN, pid, m.group(1), "ssh", m.group(2), source));
        }
        if ((m = DROPBEAR_BAD.matcher(message)).matches()) {
            return List.of(new Login(time, Login.FAILED, pid, m.group(1), "ssh", m.group(2), source));
        }
        if ((m = DROPBEAR_NOUSER.matcher(message)).matches()) {
            return List.of(new Login(time, Login.FAILED, pid, m.group(1), "ssh", m.group(2), source));
        }
        return null;
    }
}
