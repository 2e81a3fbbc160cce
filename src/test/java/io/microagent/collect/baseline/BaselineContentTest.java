package io.microagent.collect.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.linux.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every check of the content, on a host root made to pass it and one made to fail it (derived from its rule). */
class BaselineContentTest {
    @TempDir
    Path dir;

    static Benchmark content() throws Exception {
        return Benchmark.load("cis-debian-12.json");
    }

    static final List<String> BENCHMARKS = List.of("cis-debian-12.json", "cis-ubuntu-24.04.json", "cis-ubuntu-22.04.json");

    @Test
    void theContentIsWellFormed() throws Exception {
        assertTrue(content().checks().size() > 207, "more than Wazuh's Debian 12 policy decides: "
                + content().checks().size());
        for (String resource : BENCHMARKS) {
            Benchmark b = Benchmark.load(resource);
            Set<String> ids = new HashSet<>();
            Set<String> sections = new HashSet<>();
            for (Check c : b.checks()) {
                assertTrue(ids.add(c.id()) && sections.add(c.section()), "duplicate " + c.id());
                assertTrue(c.id().matches("CIS-" + b.os() + "-" + b.version().replace(".", "\\.")
                        + "-[A-Za-z]+-\\d+(\\.\\d+)*"), c.id());
                assertTrue(!c.description().isBlank() && !c.remediation().isBlank(), c.id());
            }
            assertTrue(b.checks().size() > 100, resource + ": " + b.checks().size());
        }
        assertTrue(content().checks().stream().anyMatch(c -> c.id().equals("CIS-debian-12-Network-3.3.1")));
    }

    @TestFactory
    Stream<DynamicTest> eachCheckPassesAndFailsOnHostsMadeForIt() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        List<Check> all = new ArrayList<>();
        for (String resource : BENCHMARKS) {
            all.addAll(Benchmark.load(resource).checks());
        }
        for (Check c : all) {
            tests.add(DynamicTest.dynamicTest(c.id(), () -> {
                Path passing = Files.createTempDirectory(dir, "pass");
                FixtureHost good = new FixtureHost(passing);
                good.pass(c.rule());
                Verdict pass = c.rule().evaluate(new HostFacts(new HostPaths(good.write())));
                assertEquals(Verdict.Result.PASS, pass.result(), c.id() + ": " + pass.detail());
                Path failing = Files.createTempDirectory(dir, "fail");
                FixtureHost bad = new FixtureHost(failing);
                bad.fail(c.rule());
                Verdict fail = c.rule().evaluate(new HostFacts(new HostPaths(bad.write())));
                assertEquals(Verdict.Result.FAIL, fail.result(), c.id() + ": " + fail.detail());
            }));
        }
        return tests.stream();
    }
}
