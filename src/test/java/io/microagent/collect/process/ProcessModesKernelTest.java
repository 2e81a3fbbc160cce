package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.aggregate.Aggregator;
import io.microagent.aggregate.OverflowPolicy;
import io.microagent.collect.AggregatedEvents;
import io.microagent.config.Configuration;
import io.microagent.core.Failures;
import io.microagent.event.DropLedger;
import io.microagent.event.DroppedEvents;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.linux.NetlinkSocket;
import io.microagent.linux.UserNames;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.KernelTests;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Process_Mode on the real kernel: root, and run under CI. */
class ProcessModesKernelTest {
    @TempDir
    Path state;
    final CapturedLog log = new CapturedLog();
    final DropLedger drops = new DropLedger();
    final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void root() {
        KernelTests.requireRoot();
    }

    ProcessCreateCollector collector(String arguments) throws IOException {
        ProcessCreateCollector c = new ProcessCreateCollector(Configuration.load(arguments, Map.of(), Map.of()),
                new HostPaths(Path.of("/")), drops, log.log(), new Failures(log.log()), Optional.of(state));
        c.start();
        return c;
    }

    /** Payloads of successive windows, merged by identity, until {@code done} holds (or 20 s pass). */
    static Map<String, ProcessCreate> collectUntil(ProcessCreateCollector c, Predicate<Map<String, ProcessCreate>> done)
            throws InterruptedException {
        Map<String, ProcessCreate> seen = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.test(seen) && System.nanoTime() < deadline) {
            for (SecurityEvent e : c.collect(Instant.now())) {
                for (Object p : e.payload()) {
                    ProcessCreate pc = (ProcessCreate) p;
                    seen.merge(pc.commandLine() + "|" + pc.userId(), pc, (a, b) -> new ProcessCreate(a.timestamp(),
                            a.processId(), a.parentProcessId(), a.commandLine(), a.executable(), a.userId(),
                            a.userName(), a.type(), a.hitCount() + b.hitCount()));
                }
            }
            Thread.sleep(50);
        }
        return seen;
    }

    static long run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.pid();
    }

    /** As /proc shows it (ProcessHandle's own puts the resolved executable first). */
    static String commandLineOf(ProcessHandle process) {
        try {
            return ProcFiles.commandLine(java.nio.file.Files.readAllBytes(Path.of("/proc/" + process.pid() + "/cmdline")));
        } catch (IOException e) {
            return "";
        }
    }

    static ProcessCreate with(Map<String, ProcessCreate> seen, String commandLine) {
        return seen.get(commandLine + "|0");
    }

    @Test
    void noSecretOfACommandLineLeavesTheCollectorInNetlinkOrAuditMode() throws Exception {
        for (String mode : List.of("2", "4")) {
            ProcessCreateCollector c = collector("Process_Mode=" + mode + ",Process_CacheSize=4096");
            try {
                String marker = "redact-" + run + "-" + mode;
                // A shell that lives a moment, so Netlink mode reads it too (a process gone first is counted blank).
                String[] argv = {"/bin/sh", "-c", "sleep 0.2; true", marker,
                        "HostName=hub.azure-devices.net;DeviceId=d;SharedAccessKey=S3cretKey==", "--password=Hunter2x",
                        "-storepass", "changeit"};
                run(argv);
                run(argv);
                String expected = "/bin/sh -c sleep 0.2; true " + marker
                        + " HostName=hub.azure-devices.net;DeviceId=d;SharedAccessKey=*** --password=*** -storepass ***";
                Map<String, ProcessCreate> seen = collectUntil(c, s -> with(s, expected) != null
                        && with(s, expected).hitCount() >= 2);
                assertNotNull(with(seen, expected), mode + ": " + seen.keySet());
                assertEquals(2, with(seen, expected).hitCount(), "both runs in one entry");
                assertTrue(seen.keySet().stream().noneMatch(k -> k.contains("S3cretKey") || k.contains("Hunter2x")
                        || k.contains("changeit")), seen.keySet().toString());
            } finally {
                c.stop();
            }
        }
    }

    @Test
    void auditCountsEveryExecutionWithItsExactArgvAndPutsTheSystemBack() throws Exception {
        AuditStatus before;
        List<byte[]> rulesBefore;
        try (AuditControl control = new AuditControl(List.of(), Optional.empty())) {
            before = control.status();
            rulesBefore = control.listRules();
        }
        ProcessCreateCollector c = collector("Process_Mode=4,Process_CacheSize=4096");
        try {
            assertEquals("Audit", c.mode());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String[] argv = {"/bin/true", "audit-" + run, String.valueOf(i), "two words", "naïve\tτ"};
                run(argv);
                expected.add(String.join(" ", argv));
            }
            for (int i = 0; i < 5; i++) {
                run("/bin/true", "same-" + run);
            }
            Map<String, ProcessCreate> seen = collectUntil(c, s -> expected.stream().allMatch(e -> with(s, e) != null)
                    && with(s, "/bin/true same-" + run) != null && with(s, "/bin/true same-" + run).hitCount() == 5);
            for (String e : expected) {
                ProcessCreate p = with(seen, e);
                assertNotNull(p, "missing: " + e);
                assertEquals(1, p.hitCount(), e);
                assertEquals("/usr/bin/true", p.executable());
                assertEquals("root", p.userName());
                assertEquals("exec", p.type());
                assertEquals((int) ProcessHandle.current().pid(), p.parentProcessId(), "this JVM started it");
            }
            assertEquals(5, with(seen, "/bin/true same-" + run).hitCount());
        } finally {
            c.stop();
        }
        try (AuditControl control = new AuditControl(List.of(), Optional.empty())) {
            AuditStatus after = control.status();
            assertEquals(before.enabled(), after.enabled());
            assertEquals(before.pid(), after.pid());
            assertEquals(before.backlogLimit(), after.backlogLimit());
            List<byte[]> rulesAfter = control.listRules();
            assertEquals(rulesBefore.size(), rulesAfter.size());
            for (int i = 0; i < rulesBefore.size(); i++) {
                assertTrue(Arrays.equals(rulesBefore.get(i), rulesAfter.get(i)));
            }
        }
        assertFalse(state.resolve(AuditControl.CHANGES_FILE).toFile().exists());
    }

    @Test
    void netlinkCountsEveryExecutionAndNeverAWrongCommandLine() throws Exception {
        ProcessCreateCollector c = collector("Process_Mode=2,Process_CacheSize=4096");
        try {
            assertEquals("Netlink", c.mode());
            int n = 300;
            for (int i = 0; i < n; i++) {
                run("/bin/true", "nl-" + run, String.valueOf(i));
            }
            // Long enough to be read every time: identical runs aggregate into one entry with their count.
            String same = "/bin/sleep 0.1 0.00" + Math.abs(run.hashCode() % 1000);
            for (int i = 0; i < 5; i++) {
                run(same.split(" "));
            }
            // Each child of this JVM execs twice (jspawnhelper, then /bin/true): 2n executions in all.
            String prefix = "/bin/true nl-" + run + " ";
            Map<String, ProcessCreate> seen = collectUntil(c, s -> exact(s, prefix) + unread(s) >= n
                    && with(s, same) != null && with(s, same).hitCount() == 5);
            assertEquals(5, with(seen, same).hitCount(), "identical runs aggregated");
            for (ProcessCreate p : seen.values()) {
                if (p.commandLine().startsWith(prefix)) {
                    assertEquals(1, p.hitCount(), "two executions were given the command line " + p.commandLine());
                }
            }
            long exact = exact(seen, prefix);
            assertTrue(exact + unread(seen) >= n, "counted " + exact + " exact + " + unread(seen) + " unread");
            System.out.println("netlink: " + n + " short processes, " + exact + " with their exact command line, "
                    + unread(seen) + " executions unread; " + c.counters());
        } finally {
            c.stop();
        }
    }

    static long exact(Map<String, ProcessCreate> seen, String prefix) {
        return seen.values().stream().filter(p -> p.commandLine().startsWith(prefix)).mapToLong(ProcessCreate::hitCount)
                .sum();
    }

    static long unread(Map<String, ProcessCreate> seen) {
        return seen.values().stream().filter(p -> p.commandLine().isEmpty()).mapToLong(ProcessCreate::hitCount).sum();
    }

    @Test
    void autoPicksAuditOnlyWhereListeningChangesNothing() throws Exception {
        AuditStatus before;
        List<byte[]> rulesBefore;
        List<AuditRule> rules = AuditRule.forArchitecture(System.getProperty("os.arch"));
        try (AuditControl control = new AuditControl(rules, Optional.empty())) {
            before = control.status();
            rulesBefore = control.listRules();
        }
        Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AuditDaemonStandIn.class.getName()).redirectErrorStream(true)
                .start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(daemon.getInputStream()))
                    .readLine();
            assertTrue(first != null && first.startsWith("registered "), String.valueOf(first));
            // A daemon runs but no execve rule exists: listening would need rules added, so Auto keeps to Netlink.
            if (before.enabled() == 0 || rulesBefore.stream().noneMatch(r -> rules.stream().allMatch(x ->
                    x.coveredBy(r)))) {
                ProcessCreateCollector netlink = collector("");
                netlink.stop();
                assertEquals("Netlink", netlink.mode());
            }
            // The system as a site's auditd leaves it: audit on, a large backlog, execve rules for every arch.
            AuditChanges made;
            try (AuditControl setup = new AuditControl(rules, Optional.empty())) {
                made = setup.apply(setup.status());
            }
            try {
                ProcessCreateCollector auto = collector("");
                try {
                    assertEquals("Audit", auto.mode());
                    assertTrue(log.lines().stream().anyMatch(l -> l.contains("Auto: an audit daemon (pid "
                            + daemon.pid() + ") runs")), log.lines().toString());
                    String expected = "/bin/true auto-audit-" + run + " with its exact argv";
                    run(expected.split(" "));
                    assertNotNull(with(collectUntil(auto, s -> with(s, expected) != null), expected));
                } finally {
                    auto.stop();
                }
                try (AuditControl after = new AuditControl(rules, Optional.empty())) {
                    assertEquals(daemon.pid(), after.status().pid(), "the daemon is left in place");
                    assertEquals(rulesBefore.size() + made.rulesAdded().size(), after.listRules().size(),
                            "listening added no rule");
                }
            } finally {
                try (AuditControl setup = new AuditControl(rules, Optional.empty())) {
                    assertEquals(List.of(), setup.restore(made));
                }
            }
        } finally {
            daemon.getOutputStream().close();
            assertTrue(daemon.waitFor(20, TimeUnit.SECONDS));
        }
        try (AuditControl control = new AuditControl(rules, Optional.empty())) {
            assertEquals(before.enabled(), control.status().enabled());
            assertEquals(before.pid(), control.status().pid());
            assertEquals(rulesBefore.size(), control.listRules().size());
        }
    }

    @Test
    void besideARunningAuditDaemonAuditModeOnlyListens() throws Exception {
        // This JVM registers as the audit daemon, as auditd would: the collector must join the read-only group
        // and leave the daemon in place.
        AuditStatus before;
        try (AuditControl control = new AuditControl(List.of(), Optional.empty())) {
            before = control.status();
        }
        try (NetlinkSocket daemon = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT, 0, 4 << 20)) {
            int pid = (int) ProcessHandle.current().pid();
            assertEquals(0, daemon.command(AuditControl.AUDIT_SET, AuditStatus.set(AuditStatus.MASK_PID, 0, pid, 0)));
            try {
                ProcessCreateCollector c = collector("Process_Mode=4");
                try {
                    assertTrue(log.lines().stream().anyMatch(l -> l.contains("listening beside the audit daemon (pid "
                            + pid + ")")), log.lines().toString());
                    String expected = "/bin/true beside-" + run;
                    run(expected.split(" "));
                    Map<String, ProcessCreate> seen = collectUntil(c, s -> with(s, expected) != null);
                    assertNotNull(with(seen, expected), seen.keySet().toString());
                } finally {
                    c.stop();
                }
                try (AuditControl control = new AuditControl(List.of(), Optional.empty())) {
                    assertEquals(pid, control.status().pid(), "the daemon is still registered");
                }
            } finally {
                daemon.command(AuditControl.AUDIT_SET, AuditStatus.set(AuditStatus.MASK_PID, 0, 0, 0));
            }
        }
        try (AuditControl control = new AuditControl(List.of(), Optional.empty())) {
            assertEquals(before.enabled(), control.status().enabled());
            assertEquals(before.pid(), control.status().pid());
        }
    }

    @Test
    void netlinkReportsForkThenExecOnceAndAForkWithoutExecAsAFork() throws Exception {
        ConcurrentLinkedQueue<ProcessExecution> raw = new ConcurrentLinkedQueue<>();
        NetlinkProcessSource source = new NetlinkProcessSource(new ProcReader(new HostPaths(Path.of("/")),
                new UserNames(new HostPaths(Path.of("/")))), raw::add, new ProcessCounters(), log.log(),
                new Failures(log.log()));
        source.start();
        // The command substitution's subshell forks, then waits for its own child: it lives long enough to be read.
        String script = "v=$(/bin/sleep 0.3; echo fork-" + run + "); /bin/sleep 0.2";
        long sh;
        try {
            sh = run("/bin/sh", "-c", script);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (raw.stream().noneMatch(e -> e.type().equals("fork") && e.parentPid() != null
                    && e.parentPid() == sh) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            source.stop(); // releases what is held
        }
        List<ProcessExecution> ofSh = raw.stream().filter(e -> e.pid() == sh).toList();
        assertEquals(1, ofSh.stream().filter(e -> e.commandLine().equals("/bin/sh -c " + script)).count(), ofSh.toString());
        assertTrue(ofSh.stream().noneMatch(e -> e.type().equals("fork")), "fork-then-exec is one exec: " + ofSh);
        List<ProcessExecution> forks = raw.stream().filter(e -> e.type().equals("fork") && e.parentPid() != null
                && e.parentPid() == sh).toList();
        assertEquals(1, forks.size(), "the command substitution forks without exec: " + forks);
        assertEquals("/bin/sh -c " + script, forks.get(0).commandLine());
        assertTrue(raw.stream().anyMatch(e -> e.commandLine().equals("/bin/sleep 0.2") && e.type().equals("exec")
                && e.parentPid() != null && e.parentPid() == sh));
        assertTrue(raw.stream().anyMatch(e -> e.commandLine().equals("/bin/sleep 0.3") && e.type().equals("exec")
                && e.parentPid() != null && e.parentPid() == forks.get(0).pid()));
    }

    @Test
    void aFullCacheEvictsTheOldestAndReportsTheDrops() throws Exception {
        AggregatedEvents<ProcessExecution> window = new AggregatedEvents<>("ProcessCreate", new Aggregator<>(
                "ProcessCreate", "Process_CacheSize", 5, OverflowPolicy.DROP_OLDEST,
                ProcessExecution.COMMAND_LINE_USER_AND_TYPE, log.log()), ProcessCreate::of, drops);
        String prefix = "/bin/sleep 0.05 0.000";
        AtomicInteger ours = new AtomicInteger();
        NetlinkProcessSource source = new NetlinkProcessSource(new ProcReader(new HostPaths(Path.of("/")),
                new UserNames(new HostPaths(Path.of("/")))), e -> {
                    window.accept(e);
                    if (e.commandLine().startsWith(prefix)) {
                        ours.incrementAndGet();
                    }
                }, new ProcessCounters(), log.log(), new Failures(log.log()));
        source.start();
        try {
            for (int i = 0; i < 12; i++) {
                run("/bin/sleep", "0.05", "0.000" + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ours.get() < 12 && System.nanoTime() < deadline) {
                Thread.sleep(10); // each reading is released when its process exits
            }
            assertEquals(12, ours.get());
        } finally {
            source.stop();
        }
        List<SecurityEvent> events = window.close(Instant.now());
        List<String> kept = events.get(0).payload().stream().map(p -> ((ProcessCreate) p).commandLine()).toList();
        assertEquals(5, kept.size(), kept.toString());
        assertTrue(kept.contains(prefix + "11"), kept.toString());
        assertFalse(kept.contains(prefix + "0"), "the oldest went first: " + kept);
        DroppedEvents dropped = drops.drain().stream().filter(d -> d.collector().equals("ProcessCreate"))
                .findFirst().orElseThrow();
        assertTrue(dropped.droppedEvents() >= 7, dropped.toString());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("raise Process_CacheSize")));
    }

    @Test
    void pollingSeesALongLivedProcess() throws Exception {
        ProcessCreateCollector c = collector("Process_Mode=3,Process_PollingInterval=20ms");
        Process sleeper = new ProcessBuilder("/bin/sleep", "2", "0.0" + Math.abs(run.hashCode())).start();
        try {
            assertEquals("Polling", c.mode());
            String expected = "/bin/sleep 2 0.0" + Math.abs(run.hashCode());
            Map<String, ProcessCreate> seen = collectUntil(c, s -> with(s, expected) != null);
            ProcessCreate p = with(seen, expected);
            assertNotNull(p, seen.keySet().toString());
            assertEquals((int) sleeper.pid(), p.processId());
            assertEquals("/usr/bin/sleep", p.executable());
        } finally {
            sleeper.destroy();
            c.stop();
        }
    }

    @Test
    void netlinkTakesTheUidAndParentFromTheEvents() throws Exception {
        ProcessCreateCollector c = collector("Process_Mode=2");
        try {
            // setpriv changes its real uid (a uid event), then execs: the exec is nobody's, its parent this JVM.
            String sleep = "/bin/sleep 0.3 0.00" + Math.abs(run.hashCode() % 1000);
            run(("/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " + sleep).split(" "));
            Map<String, ProcessCreate> seen = collectUntil(c, s -> s.containsKey(sleep + "|65534"));
            ProcessCreate p = seen.get(sleep + "|65534");
            assertNotNull(p, seen.keySet().toString());
            assertEquals(65534, p.userId());
            assertEquals("nobody", p.userName());
            assertEquals((int) ProcessHandle.current().pid(), p.parentProcessId());
            assertEquals("/usr/bin/sleep", p.executable());
        } finally {
            c.stop();
        }
    }

    @Test
    void pollingCallsAForkedChildAForkThoughItsParentExecdBeforeTheScan() throws Exception {
        ConcurrentLinkedQueue<ProcessExecution> raw = new ConcurrentLinkedQueue<>();
        PollingProcessSource polling = new PollingProcessSource(new HostPaths(Path.of("/")), new ProcReader(
                new HostPaths(Path.of("/")), new UserNames(new HostPaths(Path.of("/")))), raw::add,
                java.time.Duration.ofDays(1), new Failures(log.log()));
        polling.start(); // the first listing; scans are called here
        // The subshell forks without exec and waits; its parent then execs: nothing left shows the old command line.
        String tag = "0.00" + Math.abs(run.hashCode() % 1000);
        String script = "(/bin/sleep 1.5; echo " + run + " >/dev/null) & exec /bin/sleep 1.4 " + tag;
        Process sh = new ProcessBuilder("/bin/sh", "-c", script).start();
        try {
            String parentNow = "/bin/sleep 1.4 " + tag;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(commandLineOf(sh.toHandle()).equals(parentNow)
                    && sh.descendants().anyMatch(d -> commandLineOf(d).equals("/bin/sleep 1.5")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10); // until the parent has exec'd, and the subshell's child too
            }
            polling.scan();
            polling.scan(); // a fork still without exec a scan later is reported as a fork
            List<ProcessExecution> subshell = raw.stream().filter(e -> e.commandLine().equals("/bin/sh -c " + script))
                    .toList();
            assertEquals(1, subshell.size(), raw.toString());
            assertEquals(ProcessExecution.FORK, subshell.get(0).type(), "never claimed as an execution");
            assertTrue(raw.stream().anyMatch(e -> e.commandLine().equals("/bin/sleep 1.5")
                    && e.type().equals(ProcessExecution.EXEC)), raw.toString());
        } finally {
            sh.destroy();
            polling.stop();
        }
    }

    @Test
    void autoPicksNetlinkHereAndSaysWhy() throws Exception {
        ProcessCreateCollector c = collector("Process_Mode=1");
        try {
            assertEquals("Netlink", c.mode());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("Netlink mode (Process_Mode=1, Auto")));
        } finally {
            c.stop();
        }
    }

}
