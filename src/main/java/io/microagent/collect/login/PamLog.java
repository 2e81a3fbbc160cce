package io.microagent.collect.login;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lines the agent's PAM hook writes ({@code java -jar iot-micro-agent.jar pam-hook}): a UTC time, then
 * {@code type=... service=... user=... rhost=... tty=... pid=...}. {@code open_session} is a sign-in,
 * {@code close_session} a sign-out, {@code auth_failed} (the hook placed on the authentication failure path) a
 * failed sign-in.
 */
public final class PamLog {
    private PamLog() {
    }

    /** The line's event; an empty list for another PAM type; null for a line of another shape. */
    public static List<Login> parse(String line) {
        String[] words = line.strip().split(" ");
        if (words.length < 2) {
            return null;
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(words[0]).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        Map<String, String> f = new HashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) {
                return null;
            }
            f.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        String operation = switch (f.getOrDefault("type", "")) {
            case "open_session" -> Login.LOGIN;
            case "close_session" -> Login.LOGOUT;
            case "auth_failed" -> Login.FAILED;
            default -> null;
        };
        if (f.get("type") == null) {
            return null;
        }
        if (operation == null) {
            return List.of();
        }
        String tty = empty(f.get("tty"));
        if (tty != null && tty.startsWith("/dev/")) {
            tty = tty.substring(5);
        }
        if (tty != null && tty.startsWith("ssh")) {
            tty = "ssh";
        }
        String rhost = empty(f.get("rhost"));
        Integer pid;
        try {
            pid = f.containsKey("pid") ? Integer.valueOf(f.get("pid")) : null;
        } catch (NumberFormatException e) {
            pid = null;
        }
        return List.of(new Login(time, operation, pid, empty(f.get("user")), tty != null ? tty : empty(f.get("service")),
                rhost == null ? Login.LOCAL : rhost, "pam"));
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
