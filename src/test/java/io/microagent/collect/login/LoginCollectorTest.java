package io.microagent.collect.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.event.LocalZone;
import io.microagent.config.Configuration;
import io.microagent.core.Failures;
import io.microagent.event.DropLedger;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.testing.CapturedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector over a fixture host root: its followers are woken by inotify, not polled. */
class LoginCollectorTest {
    @TempDir
    Path root;
    @TempDir
    Path state;
    final CapturedLog log = new CapturedLog();
    final List<LoginCollector> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(LoginCollector::stop);
    }

    LoginCollector collector(String arguments) throws IOException {
        LoginCollector c = new LoginCollector(Configuration.load("Agent_HostRoot=" + root + (arguments.isEmpty() ? ""
                : "," + arguments), Map.of(), Map.of()), new HostPaths(root), new DropLedger(), log.log(),
                new Failures(log.log()), Optional.of(state), LocalZone.of(ZoneOffset.UTC));
        c.start();
        started.add(c);
        return c;
    }

    Path file(String path) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        return p;
    }

    void append(String path, byte[] bytes) throws IOException {
        Files.write(file(path), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<Login> until(LoginCollector c, Predicate<List<Login>> done) throws InterruptedException {
        List<Login> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.test(all) && System.nanoTime() < deadline) {
            for (SecurityEvent e : c.collect(Instant.now())) {
                assertEquals("Triggered", e.category().text());
                e.payload().forEach(p -> all.add((Login) p));
            }
            Thread.sleep(20);
        }
        return all;
    }

    @Test
    void oneSignInInAuthLogAndWtmpIsReportedOnce() throws Exception {
        append("/var/log/auth.log", "Nov 27 18:00:00 gw sshd[1]: history\n".getBytes(StandardCharsets.UTF_8));
        append("/var/log/wtmp", new byte[0]);
        LoginCollector c = collector("");
        assertEquals("auth.log+wtmp", c.mode());
        String now = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.now().atOffset(ZoneOffset.UTC));
        append("/var/log/auth.log", (now + " gw sshd-session[4242]: Accepted password for pi from 192.0.2.7 port 5000"
                + " ssh2\n" + now + " gw sshd-session[4250]: Failed password for root from 192.0.2.8 port 5001 ssh2\n"
                + "garbage\n").getBytes(StandardCharsets.UTF_8));
        byte[] v4 = new byte[16];
        v4[0] = (byte) 192;
        v4[2] = 2;
        v4[3] = 7;
        append("/var/log/wtmp", FileFollowerTest.utmp(7, 4243, "pts/3", "pi", "192.0.2.7",
                Instant.now().getEpochSecond(), v4));
        List<Login> logins = until(c, l -> l.size() >= 2 && c.counters().contains("duplicates=1"));
        assertEquals(2, logins.size(), logins.toString());
        assertEquals("Login", logins.get(0).operation());
        assertEquals("pi", logins.get(0).userName());
        assertEquals("LoginFailed", logins.get(1).operation());
        assertTrue(c.counters().contains("lines_garbled=1"), c.counters());
        assertTrue(c.counters().contains("duplicates=1"), c.counters());
    }

    @Test
    void thePamHooksLogAlone() throws Exception {
        append("/var/log/auth.log", new byte[0]);
        append(LoginCollector.PAM_LOG, new byte[0]);
        LoginCollector c = collector("Login_UsePAM=true");
        assertEquals("pam", c.mode());
        Path hook = Files.createTempFile(state, "hook", ".sh");
        try (var in = getClass().getResourceAsStream("/io/microagent/collect/login/pam-hook.sh")) {
            Files.write(hook, in.readAllBytes());
        }
        runHook(hook, "open_session", "sshd", "pi", "192.0.2.7", "ssh", null);
        runHook(hook, "auth", "sshd", "evil user", "192.0.2.9", "ssh", "failed");
        runHook(hook, "close_session", "login", "root", "", "/dev/tty1", null);
        append("/var/log/auth.log", (java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.now()
                .atOffset(ZoneOffset.UTC)) + " gw sshd[9]: Accepted password for x from 192.0.2.1 port 1 ssh2\n")
                .getBytes(StandardCharsets.UTF_8));
        List<Login> logins = until(c, l -> l.size() >= 3);
        assertEquals(3, logins.size(), logins.toString());
        assertEquals(List.of("Login", "LoginFailed", "Logout"), logins.stream().map(Login::operation).toList());
        assertEquals("evil_user", logins.get(1).userName(), "the hook keeps a line one word per field");
        assertEquals("tty1", logins.get(2).executable());
        assertEquals("127.0.0.1", logins.get(2).remoteAddress());
        assertTrue(logins.stream().allMatch(l -> l.source().equals("pam")));
    }

    void runHook(Path hook, String type, String service, String user, String rhost, String tty, String arg)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", hook.toString()));
        if (arg != null) {
            command.add(arg);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(Map.of("PAM_TYPE", type, "PAM_SERVICE", service, "PAM_USER", user, "PAM_RHOST", rhost,
                "PAM_TTY", tty, "IOT_MICRO_AGENT_PAM_LOG", file(LoginCollector.PAM_LOG).toString()));
        Process p = pb.start();
        assertEquals("", new String(p.getInputStream().readAllBytes()));
        assertEquals(0, p.waitFor());
    }

    @Test
    void theJournalWhereNoSyslogFileIsWrittenFromTheEndThenFromItsCursor() throws Exception {
        Path remote = Path.of("/lib/systemd/systemd-journal-remote");
        if (!Files.isExecutable(remote)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI installs systemd-journal-remote: .ci/run");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "needs systemd-journal-remote");
        }
        journal(remote, "a", 1, "Accepted password for history from 192.0.2.1 port 1 ssh2");
        LoginCollector c = collector("");
        assertEquals("journal", c.mode());
        journal(remote, "b", 2, "Accepted password for pi from 192.0.2.7 port 5000 ssh2");
        List<Login> first = until(c, l -> !l.isEmpty());
        assertEquals(1, first.size(), first.toString());
        assertEquals(new Login(Instant.ofEpochSecond(1_764_266_645L + 2), "Login", 4242, "pi", "ssh", "192.0.2.7",
                "journal"), first.get(0));
        c.stop();
        started.remove(c);

        journal(remote, "c", 3, "Failed password for root from 192.0.2.8 port 5001 ssh2");
        LoginCollector again = collector("");
        List<Login> after = until(again, l -> !l.isEmpty());
        assertEquals(List.of("LoginFailed"), after.stream().map(Login::operation).toList(),
                "the entry after the kept cursor, and nothing before it again");
    }

    void journal(Path remote, String name, int second, String message) throws Exception {
        String export = "__REALTIME_TIMESTAMP=" + (1_764_266_645L + second) * 1_000_000L + "\n__MONOTONIC_TIMESTAMP="
                + second * 1000 + "\n_BOOT_ID=0123456789abcdef0123456789abcdef\nSYSLOG_IDENTIFIER=sshd-session\n"
                + "SYSLOG_PID=4242\n_PID=4242\nMESSAGE=" + message + "\n\n"
                + "__REALTIME_TIMESTAMP=" + (1_764_266_645L + second) * 1_000_000L + "\n__MONOTONIC_TIMESTAMP="
                + (second * 1000 + 1) + "\n_BOOT_ID=0123456789abcdef0123456789abcdef\nSYSLOG_IDENTIFIER=cron\n"
                + "MESSAGE=not a sign-in\n\n";
        Process p = new ProcessBuilder(remote.toString(), "-o", file("/var/log/journal/" + name + ".journal").toString(),
                "-").redirectErrorStream(true).start();
        p.getOutputStream().write(export.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
    }
}
