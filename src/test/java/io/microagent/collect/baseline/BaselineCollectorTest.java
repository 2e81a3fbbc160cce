package io.microagent.collect.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.config.Configuration;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.testing.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineCollectorTest {
    @TempDir
    Path hardened;
    @TempDir
    Path weak;
    final CapturedLog log = new CapturedLog();

    List<BaselineResult> scan(Path root, String arguments) throws Exception {
        BaselineCollector c = new BaselineCollector(Configuration.load(arguments, Map.of(), Map.of()),
                new HostPaths(root), log.log());
        c.start();
        List<SecurityEvent> events = c.collect(Instant.now());
        assertEquals(1, events.size());
        assertEquals("Baseline", events.get(0).name());
        return events.get(0).payload().stream().map(p -> (BaselineResult) p).toList();
    }

    @Test
    void aHardenedHostReportsNothingAndAWeakOneEveryCheck() throws Exception {
        Benchmark b = BaselineContentTest.content();
        FixtureHost good = new FixtureHost(hardened).merged();
        FixtureHost bad = new FixtureHost(weak);
        b.checks().forEach(c -> good.pass(c.rule()));
        b.checks().forEach(c -> bad.fail(c.rule()));
        good.write();
        bad.write();
        assertEquals(List.of(), scan(hardened, ""), "every check of one host made to pass them all");
        List<BaselineResult> failed = scan(weak, "");
        List<String> notFailed = b.checks().stream().map(Check::id).filter(id -> failed.stream().noneMatch(
                r -> r.checkId().equals(id))).toList();
        // One host cannot fail everything at once, so these pass on it, each for a stated reason:
        // - a path is either not a separate partition or mounted without its options: /tmp and /dev/shm end up
        //   mounted (their "separate partition" checks pass), the other paths end up absent (their option checks do
        //   not apply);
        // - failing sudo's and ufw's settings installs them: "sudo is installed", "a firewall utility is installed";
        // - failing the rsyslog checks installs rsyslog, and the journald-only checks then do not apply.
        List<String> exclusive = new java.util.ArrayList<>(List.of("Filesystem-1.1.2.1.1", "Filesystem-1.1.2.2.1",
                "Firewall-4.1.1", "Sudo-5.2.1", "Logging-6.1.2.1.1", "Logging-6.1.2.1.2",
                "Logging-6.1.2.1.3", "Logging-6.1.2.2", "Logging-6.1.3.3"));
        for (String path : List.of("3", "4", "5", "6", "7")) {
            for (String option : List.of("2", "3", "4")) {
                exclusive.add("Filesystem-1.1.2." + path + "." + option);
            }
        }
        List<String> expected = b.checks().stream().map(Check::id).filter(id -> exclusive.contains(id.substring(
                "CIS-debian-12-".length()))).toList();
        assertEquals(expected, notFailed, "every other check of one host made to fail them all");
        assertTrue(failed.stream().allMatch(r -> r.result().equals("Fail") && r.error() == null), failed.toString());
        BaselineResult root = failed.stream().filter(r -> r.checkId().equals("CIS-debian-12-SSH-5.1.20")).findFirst()
                .orElseThrow();
        assertEquals("Critical", root.severity());
        assertTrue(root.remediation().contains("PermitRootLogin no"), root.remediation());

        List<BaselineResult> some = scan(weak, "Baseline_GroupsDisabled=ssh,Baseline_ChecksDisabled=3.3.1,7.2.1");
        assertTrue(some.stream().noneMatch(r -> r.checkId().contains("-SSH-") || r.checkId().endsWith("-3.3.1")
                || r.checkId().endsWith("-7.2.1")), some.toString());
        long ssh = b.checks().stream().filter(c -> c.group().equals("SSH")).count();
        assertEquals(failed.size() - ssh - 2, some.size(), "the other checks the weak host fails");
    }

    @Test
    void whatCannotBeDecidedIsAnErrorWithItsReasonNeverAPass() throws Exception {
        new FixtureHost(hardened).write();
        Files.delete(hardened.resolve("etc/login.defs"));
        Files.delete(hardened.resolve("proc/mounts"));
        Files.createDirectories(hardened.resolve("etc/shadow-dir"));
        List<BaselineResult> r = scan(hardened, "");
        BaselineResult maxDays = r.stream().filter(x -> x.checkId().endsWith("-5.4.1.1")).findFirst().orElseThrow();
        assertEquals("Error", maxDays.result());
        assertEquals("/etc/login.defs does not exist", maxDays.error());
        assertTrue(r.stream().anyMatch(x -> x.checkId().endsWith("-1.1.2.1.1") && x.result().equals("Error")
                && x.error().equals("/proc/mounts does not exist")), r.toString());
    }

    @Test
    void theBenchmarkFollowsOsRelease() throws Exception {
        assertEquals("cis-debian-12.json", BaselineCollector.benchmarkFor(Map.of("ID", "debian", "VERSION_ID", "12")));
        assertEquals("cis-debian-12.json", BaselineCollector.benchmarkFor(Map.of("ID", "raspbian", "VERSION_ID", "12",
                "ID_LIKE", "debian")));
        assertEquals("cis-debian-12.json", BaselineCollector.benchmarkFor(Map.of("ID", "armbian", "ID_LIKE", "debian",
                "VERSION_CODENAME", "bookworm")));
        assertNull(BaselineCollector.benchmarkFor(Map.of("ID", "debian", "VERSION_ID", "11")));
        assertEquals("cis-ubuntu-24.04.json", BaselineCollector.benchmarkFor(Map.of("ID", "ubuntu", "ID_LIKE", "debian",
                "VERSION_ID", "24.04", "VERSION_CODENAME", "noble")));
        assertEquals("cis-ubuntu-22.04.json", BaselineCollector.benchmarkFor(Map.of("ID", "ubuntu", "VERSION_ID",
                "22.04")));
        assertNull(BaselineCollector.benchmarkFor(Map.of("ID", "ubuntu", "VERSION_ID", "20.04")));
        Files.createDirectories(hardened.resolve("etc"));
        Files.writeString(hardened.resolve("etc/os-release"), "ID=alpine\nPRETTY_NAME=\"Alpine Linux v3.20\"\n");
        BaselineCollector c = new BaselineCollector(Configuration.load("", Map.of(), Map.of()), new HostPaths(hardened),
                log.log());
        c.start();
        assertEquals(List.of(), c.collect(Instant.now()));
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("no CIS benchmark") && l.contains("Alpine")),
                log.lines().toString());
    }

    @Test
    void sshdConfigIncludesFirstValueWinsAndMatchBlocksSetAside() {
        Map<String, String> files = Map.of(
                "/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nMaxAuthTries 3\n"
                        + "Match User backup\n  PermitRootLogin no\n  Banner none\n",
                "/etc/ssh/sshd_config.d/10-site.conf", "permitrootlogin no\n# MaxAuthTries 9\n",
                "/etc/ssh/sshd_config.d/20-later.conf", "PermitRootLogin prohibit-password\nBanner /etc/issue.net\n");
        Map<String, String> v = SshdConfig.effective("/etc/ssh/sshd_config", files::get,
                glob -> files.keySet().stream().filter(f -> f.startsWith("/etc/ssh/sshd_config.d/")).sorted().toList());
        assertEquals("no", v.get("permitrootlogin"), "the first value, from the include placed first");
        assertEquals("3", v.get("maxauthtries"));
        assertEquals("/etc/issue.net", v.get("banner"), "the Match block's Banner applies to some users only");
    }

    @Test
    void aMountOptionIsCheckedInTheRunningMountsAndInFstab() throws Exception {
        Predicate.MountOption nodev = new Predicate.MountOption("/tmp", "nodev");
        Files.createDirectories(hardened.resolve("proc"));
        Files.createDirectories(hardened.resolve("etc"));
        Files.writeString(hardened.resolve("proc/mounts"), "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n");
        Files.writeString(hardened.resolve("etc/fstab"), "# comment\ntmpfs /tmp tmpfs defaults,nosuid 0 0\n");
        Verdict v = nodev.evaluate(new HostFacts(new HostPaths(hardened)));
        assertEquals(Verdict.Result.FAIL, v.result(), "the next boot mounts it without nodev");
        assertEquals("/etc/fstab mounts /tmp with defaults,nosuid", v.detail());
        Files.writeString(hardened.resolve("etc/fstab"), "UUID=1 / ext4 defaults 0 1\n");
        assertEquals(Verdict.Result.PASS, nodev.evaluate(new HostFacts(new HostPaths(hardened))).result());
        Files.writeString(hardened.resolve("proc/mounts"), "tmpfs /tmp tmpfs rw,nodev 0 0\ntmpfs /tmp tmpfs rw 0 0\n");
        assertEquals(Verdict.Result.FAIL, nodev.evaluate(new HostFacts(new HostPaths(hardened))).result(),
                "the last mount on a path is the one in effect");
    }

    @Test
    void sysctlFilesApplyInTheKernelsOrder() {
        assertEquals(Map.of("net.ipv4.ip_forward", "0", "kernel.randomize_va_space", "2"), SysctlConfig.effective(List.of(
                "net/ipv4/ip_forward = 1\nkernel.randomize_va_space=2\n", "# later wins\n-net.ipv4.ip_forward = 0\n")));
    }
}
