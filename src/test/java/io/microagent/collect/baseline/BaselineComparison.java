package io.microagent.collect.baseline;

import io.microagent.linux.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * For src/bench/baseline-vs-openscap.sh: writes host roots to scan (a hardened and a weak fixture host, and a
 * copy of this machine's /etc, dpkg database and the /proc files the checks read) and prints the agent's verdict
 * for each check on each root, one {@code ROOT<TAB>CHECKID<TAB>RESULT} line per check.
 */
public final class BaselineComparison {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Benchmark b = Benchmark.load("cis-debian-12.json");
        FixtureHost hardened = new FixtureHost(Files.createDirectories(out.resolve("hardened"))).merged();
        FixtureHost weak = new FixtureHost(Files.createDirectories(out.resolve("weak")));
        b.checks().forEach(c -> hardened.pass(c.rule()));
        b.checks().forEach(c -> weak.fail(c.rule()));
        hardened.write();
        weak.write();
        Path machine = out.resolve("machine");
        for (String file : List.of("/proc/mounts", "/proc/modules")) {
            copy(Path.of(file), machine.resolve(file.substring(1)));
        }
        for (String key : sysctlKeys(b)) {
            copy(Path.of("/proc/sys/" + key.replace('.', '/')), machine.resolve("proc/sys/" + key.replace('.', '/')));
        }
        for (String root : List.of("hardened", "weak", "machine")) {
            HostFacts facts = new HostFacts(new HostPaths(out.resolve(root)));
            for (Check c : b.checks()) {
                System.out.println(root + "\t" + c.id() + "\t" + c.rule().evaluate(facts).result());
            }
        }
    }

    private static List<String> sysctlKeys(Benchmark b) {
        List<String> keys = new java.util.ArrayList<>();
        b.checks().forEach(c -> collect(c.rule(), keys));
        return keys;
    }

    private static void collect(Rule r, List<String> keys) {
        if (r instanceof Rule.All a) {
            a.rules().forEach(x -> collect(x, keys));
        } else if (r instanceof Rule.Any a) {
            a.rules().forEach(x -> collect(x, keys));
        } else if (r instanceof Rule.Not n) {
            collect(n.rule(), keys);
        } else if (r instanceof Predicate.Sysctl s) {
            keys.add(s.key());
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        if (Files.isReadable(from)) {
            Files.createDirectories(to.getParent());
            Files.write(to, Files.readAllBytes(from)); // /proc files report size 0: read them, do not copy
        }
    }
}
