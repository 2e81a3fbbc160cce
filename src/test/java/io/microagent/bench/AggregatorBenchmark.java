package io.microagent.bench;

import io.microagent.aggregate.Aggregator;
import io.microagent.aggregate.OverflowPolicy;
import io.microagent.log.AgentLog;
import io.microagent.log.LogLevel;
import io.microagent.testing.Exec;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The aggregator's hot path: an event whose identity is already in the window (a command that runs again).
 * Run with {@code src/bench/aggregator.sh}; {@code -prof gc} gives bytes allocated per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AggregatorBenchmark {
    @Param({"256"})
    int entries;

    Aggregator<Exec> aggregator;
    Exec[] events;
    int next;

    @Setup(Level.Trial)
    public void fill() {
        aggregator = new Aggregator<>("ProcessCreate", "Process_CacheSize", entries, OverflowPolicy.DROP_OLDEST,
                Exec.COMMAND_AND_UID, new AgentLog(LogLevel.OFF, System.err), Exec::pid);
        events = new Exec[entries];
        for (int i = 0; i < entries; i++) {
            // Equal but not identical strings, as a collector reading /proc would produce.
            events[i] = new Exec(new String("/usr/bin/python3 /opt/device/collect.py --sensor " + i), i % 3, i,
                    Instant.EPOCH);
            aggregator.add(events[i]);
        }
    }

    @Benchmark
    public void hit() {
        aggregator.add(events[next]);
        next = next + 1 == events.length ? 0 : next + 1;
    }
}
