package io.microagent.bench;

import io.microagent.collect.baseline.BaselineCollector;
import io.microagent.collect.sbom.JarInventory;
import io.microagent.collect.sbom.SbomCollector;
import io.microagent.collect.system.InterfaceAddresses;
import io.microagent.collect.system.SystemInformationCollector;
import io.microagent.config.Configuration;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.log.AgentLog;
import io.microagent.log.LogLevel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full SBoM scan (this machine's dpkg database), one SystemInformation snapshot and one Baseline scan (CIS
 * Debian 12 on this machine), as the Low window takes them. Run with {@code src/bench/inventory.sh}; {@code -prof gc} gives the bytes each scan allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InventoryBenchmark {
    SbomCollector sbom;
    SystemInformationCollector system;
    BaselineCollector baseline;

    @Setup
    public void setUp() {
        AgentLog log = new AgentLog(LogLevel.OFF, System.err);
        HostPaths host = new HostPaths(Path.of("/"));
        sbom = new SbomCollector(host, new JarInventory(() -> new Class<?>[0]), log, () -> true);
        system = new SystemInformationCollector(Configuration.load("", Map.of(), Map.of()), host,
                InterfaceAddresses::read, log);
        baseline = new BaselineCollector(Configuration.load("", Map.of(), Map.of()), host, log);
        try {
            baseline.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public List<SecurityEvent> baselineScan() {
        return baseline.collect(Instant.EPOCH);
    }

    @Benchmark
    public List<SecurityEvent> sbomScan() {
        return sbom.collect(Instant.EPOCH);
    }

    @Benchmark
    public List<SecurityEvent> systemInformation() {
        return system.collect(Instant.EPOCH);
    }
}
