package io.microagent.collect.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.microagent.event.LocalZone;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthLogParserTest {
    static final LocalZone UTC = LocalZone.of(ZoneOffset.UTC);
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    static Login login(String time, String op, Integer pid, String user, String exe, String address) {
        return new Login(Instant.parse(time), op, pid, user, exe, address, "auth.log");
    }

    @Test
    void aCorpusOfRealLinesFromSeveralDaemonsDistributionsAndSshdVersions() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/login/auth-corpus.log")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        AuthLogParser parser = new AuthLogParser("auth.log", UTC);
        List<Login> logins = new ArrayList<>();
        int other = 0;
        int garbled = 0;
        for (String line : text.split("\n")) {
            AuthLogParser.Result r = parser.parse(line, NOW);
            logins.addAll(r.logins());
            other += r.kind() == AuthLogParser.Kind.OTHER ? 1 : 0;
            garbled += r.kind() == AuthLogParser.Kind.GARBLED ? 1 : 0;
        }
        assertEquals(List.of(
                login("2026-11-27T18:04:05Z", "Login", 1234, "pi", "ssh", "192.168.1.20"),
                login("2026-11-27T18:10:44Z", "Logout", 1234, "pi", "ssh", null),
                login("2026-11-27T18:11:02Z", "LoginFailed", 1402, "admin", "ssh", "203.0.113.9"),
                login("2026-11-27T18:11:07Z", "LoginFailed", 1402, "admin", "ssh", "203.0.113.9"),
                login("2026-11-27T18:11:30Z", "LoginFailed", 1410, "oracle", "ssh", "203.0.113.10"),
                login("2026-11-27T18:12:00Z", "LoginFailed", 1450, "root", "ssh", "2001:db8::7"),
                login("2026-11-27T18:12:03Z", "LoginFailed", 1450, "root", "ssh", "2001:db8::7"),
                login("2026-11-27T18:12:03Z", "LoginFailed", 1450, "root", "ssh", "2001:db8::7"),
                login("2026-11-27T18:20:01.123456Z", "Login", 2001, "deploy", "ssh", "198.51.100.4"),
                login("2026-11-27T18:25:44Z", "Logout", 2001, "deploy", "ssh", null),
                login("2026-11-27T18:26:00Z", "Login", 2100, "op", "ssh", "::1"),
                login("2026-11-27T18:30:00Z", "Login", 800, "root", null, "127.0.0.1"),
                login("2026-11-27T18:31:12Z", "LoginFailed", 900, "UNKNOWN", "tty2", "127.0.0.1"),
                login("2026-11-27T18:40:00Z", "Logout", 800, "root", null, "127.0.0.1"),
                login("2026-11-07T09:01:02Z", "Login", 1711, "root", "ssh", "192.0.2.50"),
                login("2026-11-07T09:01:30Z", "LoginFailed", 1712, "root", "ssh", "192.0.2.51"),
                login("2026-11-07T09:01:31Z", "LoginFailed", 1713, null, "ssh", "192.0.2.52"),
                login("2026-11-27T18:50:00Z", "LoginFailed", 3000, "git", "ssh", "192.0.2.5")), logins);
        assertEquals(2, garbled, "a line that is no syslog line, and one with an impossible time");
    }

    @Test
    void classicTimesTakeTheYearThatIsNotInTheFuture() {
        Instant newYear = Instant.parse("2027-01-01T00:00:30Z");
        assertEquals(Instant.parse("2026-12-31T23:59:59Z"),
                SyslogLine.parse("Dec 31 23:59:59 gw sshd[1]: x", newYear, UTC).time());
        assertEquals(Instant.parse("2027-01-01T00:00:10Z"),
                SyslogLine.parse("Jan  1 00:00:10 gw sshd[1]: x", newYear, UTC).time());
        assertEquals(Instant.parse("2026-11-28T12:30:00Z"),
                SyslogLine.parse("Nov 28 12:30:00 gw sshd[1]: x", NOW, UTC).time(), "a clock a little behind");
        assertEquals(Instant.parse("2024-02-29T10:00:00Z"),
                SyslogLine.parse("Feb 29 10:00:00 gw sshd[1]: x", Instant.parse("2027-03-01T00:00:00Z"), UTC).time());
        assertEquals(Instant.parse("2026-11-27T17:04:05Z"), SyslogLine.parse("Nov 27 18:04:05 gw sshd[1]: x", NOW,
                LocalZone.of(ZoneId.of("Europe/Berlin"))).time(), "classic times are the device's local time");
        assertNull(SyslogLine.parse("Foo 27 18:04:05 gw sshd[1]: x", NOW, UTC));
        assertNull(SyslogLine.parse("2026-13-45T99:00:00Z gw sshd[1]: x", NOW, UTC));
    }

    @Test
    void messageRepeatedCountsEveryRepeat() {
        AuthLogParser parser = new AuthLogParser("auth.log", UTC);
        AuthLogParser.Result r = parser.parse("Nov 27 18:12:03 gw sshd[7]: message repeated 5 times: [ Failed password"
                + " for root from 192.0.2.1 port 22 ssh2]", NOW);
        assertEquals(5, r.logins().size());
        assertEquals(AuthLogParser.Kind.OTHER, parser.parse("Nov 27 18:12:03 gw sshd[7]: message repeated 5 times: ["
                + " Connection closed by 192.0.2.1 port 22 [preauth]]", NOW).kind());
    }
}
