package io.microagent.collect.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.event.LocalZone;
import io.microagent.linux.SystemZone;
import io.microagent.config.Configuration;
import io.microagent.core.Failures;
import io.microagent.event.DropLedger;
import io.microagent.testing.Await;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.KernelTests;
import io.microagent.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sshd on 127.0.0.1 and rsyslogd writing auth.log (Debian's openssh-server, rsyslog and sshpass, which
 * .ci/run installs): a wrong password, a right one with a terminal, a sign-out, each reported once, with user,
 * address, process id and terminal, though auth.log, wtmp and btmp each record them. Root, and run under CI.
 */
class SshSignInIT {
    static final String USER = "iotagent-test";
    static final String PASSWORD = "right-Passw0rd";

    @TempDir
    Path dir;
    final CapturedLog log = new CapturedLog();
    final List<Process> daemons = new ArrayList<>();
    LoginCollector collector;
    int port;

    @BeforeEach
    void daemons() throws Exception {
        KernelTests.requireRoot();
        for (String tool : List.of("/usr/sbin/sshd", "/usr/sbin/rsyslogd", "/usr/bin/sshpass")) {
            assertTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: .ci/run installs openssh-server,"
                    + " rsyslog and sshpass");
        }
        run("sh", "-c", "id " + USER + " >/dev/null 2>&1 || useradd -M -s /bin/sh " + USER);
        run("sh", "-c", "echo '" + USER + ":" + PASSWORD + "' | chpasswd");
        Files.createDirectories(Path.of("/run/sshd"));
        for (String f : List.of("/var/log/wtmp", "/var/log/btmp")) {
            if (!Files.exists(Path.of(f))) {
                run("install", "-m", "0660", "-g", "utmp", "/dev/null", f);
            }
        }
        Path authLog = dir.resolve("auth.log");
        Files.createFile(authLog); // before the daemons write to it: the agent starts at its end
        Files.writeString(dir.resolve("rsyslog.conf"), "module(load=\"imuxsock\")\nglobal(workDirectory=\"" + dir
                + "\")\nauth,authpriv.* " + authLog + "\n");
        daemons.add(new ProcessBuilder("/usr/sbin/rsyslogd", "-n", "-f", dir.resolve("rsyslog.conf").toString(), "-i",
                dir.resolve("rsyslog.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslog.out").toFile()).start());
        Await.until("rsyslogd's /dev/log", () -> Files.exists(Path.of("/dev/log")));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        try (ServerSocket free = Ports.serverBelowEphemeralRange(InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n", "Port " + port, "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"), "UsePAM yes", "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no", "PermitRootLogin no", "PidFile " + dir.resolve("sshd.pid"),
                "MaxAuthTries 3", ""));
        daemons.add(new ProcessBuilder("/usr/sbin/sshd", "-D", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.out").toFile()).start());
        Await.until("sshd listening", () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        String arguments = "Login_AuthLogPaths=" + authLog;
        collector = new LoginCollector(Configuration.load(arguments, Map.of(), Map.of()),
                new io.microagent.linux.HostPaths(Path.of("/")), new DropLedger(), log.log(), new Failures(log.log()),
                Optional.of(dir.resolve("state")), SystemZone.get());
        Files.createDirectories(dir.resolve("state"));
        collector.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (collector != null) {
            collector.stop();
        }
        for (Process p : daemons) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        run("sh", "-c", "userdel " + USER + " 2>/dev/null; true");
    }

    @Test
    void aWrongPasswordARightOneAndASignOutEachReportedOnce() throws Exception {
        int wrong = ssh("wrong-password", "true");
        assertNotEquals(0, wrong);
        assertEquals(0, ssh(PASSWORD, "-tt"), "a sign-in with a terminal (wtmp records only those), then exit");
        // Done when the sign-out is in and the failure and the sign-in have come from their second source too
        // (btmp, wtmp). Debian 12's sshd writes no logout record to wtmp (`last` shows "gone - no logout"): the
        // sign-out comes from auth.log alone.
        List<Login> logins = LoginCollectorTest.until(collector, l -> duplicates() >= 2
                && l.stream().anyMatch(x -> x.operation().equals("Logout")));
        logins.addAll(LoginCollectorTest.until(collector, l -> true)); // whatever the last poll added
        List<Login> ours = logins.stream().filter(l -> USER.equals(l.userName())).toList();
        assertEquals(List.of("LoginFailed", "Login", "Logout"), ours.stream().map(Login::operation).toList(),
                ours + "\nauth.log:\n" + Files.readString(dir.resolve("auth.log")) + "\n" + collector.counters());
        for (Login l : ours) {
            assertNotNull(l.processId(), l + "\n" + Files.readString(dir.resolve("auth.log")));
            assertNotNull(l.executable(), l.toString());
            if (!l.operation().equals("Logout") || l.remoteAddress() != null) {
                assertEquals("127.0.0.1", l.remoteAddress(), l.toString());
            }
        }
        assertEquals(2, duplicates(), "auth.log and btmp/wtmp both recorded the failure and the sign-in: "
                + collector.counters());
    }

    long duplicates() {
        return Long.parseLong(collector.counters().replaceAll(".*duplicates=(\\d+).*", "$1"));
    }

    /** Signs in as the test user; "-tt" asks for a terminal and runs the shell's exit. */
    int ssh(String password, String what) throws Exception {
        List<String> command = new ArrayList<>(List.of("sshpass", "-p", password, "ssh", "-o",
                "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no",
                "-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1", "-p",
                String.valueOf(port)));
        if (what.equals("-tt")) {
            command.addAll(List.of("-tt", USER + "@127.0.0.1", "exit"));
        } else {
            command.addAll(List.of(USER + "@127.0.0.1", what));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

}
