package io.microagent.collect.baseline;

import io.microagent.collect.Collector;
import io.microagent.collect.system.OsRelease;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Baseline: the CIS checks of the benchmark that fits the host ({@code /etc/os-release} under
 * {@code Agent_HostRoot}: Debian 12 and its derivatives such as Raspberry Pi OS; Ubuntu 22.04 and 24.04 with the
 * recommendations they share with Debian 12's benchmark), run at each of its windows by
 * reading files (no process is spawned); only failed and undecidable checks are sent.
 */
public final class BaselineCollector implements Collector {
    private final HostPaths host;
    private final AgentLog log;
    private final Set<String> groupsDisabled;
    private final Set<String> checksDisabled;
    private Benchmark benchmark;
    private String mode = "";
    private volatile String counts = "";

    public BaselineCollector(Configuration config, HostPaths host, AgentLog log) {
        this.host = host;
        this.log = log;
        this.groupsDisabled = lower(config.get(Settings.BASELINE_GROUPS_DISABLED));
        this.checksDisabled = lower(config.get(Settings.BASELINE_CHECKS_DISABLED));
    }

    @Override
    public String name() {
        return "Baseline";
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public String counters() {
        return counts;
    }

    @Override
    public void start() throws IOException {
        String resource = benchmarkFor(osRelease());
        if (resource == null) {
            mode = "none";
            log.info("Baseline: no CIS benchmark of this agent fits this system (" + describe(osRelease())
                    + "): no Baseline events");
            return;
        }
        benchmark = Benchmark.load(resource);
        mode = benchmark.os() + "-" + benchmark.version();
        log.info("Baseline: " + benchmark.checks().size() + " checks of " + benchmark.name());
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        if (benchmark == null) {
            return List.of();
        }
        HostFacts facts = new HostFacts(host);
        List<BaselineResult> reported = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int errors = 0;
        int skipped = 0;
        for (Check c : benchmark.checks()) {
            if (groupsDisabled.contains(c.group().toLowerCase(Locale.ROOT)) || checksDisabled.contains(c.section())) {
                skipped++;
                continue;
            }
            Verdict v = c.rule().evaluate(facts);
            switch (v.result()) {
                case PASS -> passed++;
                case FAIL -> {
                    failed++;
                    reported.add(new BaselineResult(c.id(), "Fail", null, c.description(), c.remediation(),
                            c.severity()));
                }
                case ERROR -> {
                    errors++;
                    reported.add(new BaselineResult(c.id(), "Error", v.detail(), c.description(), c.remediation(),
                            c.severity()));
                }
            }
        }
        counts = "passed=" + passed + " failed=" + failed + " errors=" + errors + " skipped=" + skipped;
        return List.of(SecurityEvent.periodic(name(), windowEnd, reported));
    }

    /** The content for an os-release, or null: Debian 12 and systems built on it, Ubuntu 22.04 and 24.04. */
    static String benchmarkFor(Map<String, String> os) {
        String id = os.getOrDefault("ID", "");
        String like = " " + os.getOrDefault("ID_LIKE", "") + " ";
        String version = os.getOrDefault("VERSION_ID", "");
        String codename = os.getOrDefault("VERSION_CODENAME", os.getOrDefault("DEBIAN_CODENAME", ""));
        boolean debianFamily = id.equals("debian") || id.equals("raspbian") || like.contains(" debian ");
        if (id.equals("ubuntu") && (version.equals("22.04") || version.equals("24.04"))) {
            return "cis-ubuntu-" + version + ".json";
        }
        if (debianFamily && !id.equals("ubuntu") && (codename.equals("bookworm")
                || ((id.equals("debian") || id.equals("raspbian")) && version.equals("12")))) {
            return "cis-debian-12.json";
        }
        return null;
    }

    private Map<String, String> osRelease() {
        for (String path : List.of("/etc/os-release", "/usr/lib/os-release")) {
            try {
                return OsRelease.parse(Files.readString(host.resolve(path)));
            } catch (IOException | RuntimeException e) {
                // the next one
            }
        }
        return Map.of();
    }

    private static String describe(Map<String, String> os) {
        return os.isEmpty() ? "no os-release" : os.getOrDefault("PRETTY_NAME", os.getOrDefault("ID", "?"));
    }

    private static Set<String> lower(List<String> values) {
        return values == null ? Set.of() : values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }
}
