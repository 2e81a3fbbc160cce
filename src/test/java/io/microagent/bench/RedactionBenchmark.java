package io.microagent.bench;

import io.microagent.collect.process.SecretRedactor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What redaction adds to each execution: a command line without secrets (most of a build's), and one with a
 * connection string and a password option. Run with {@code src/bench/redaction.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RedactionBenchmark {
    @Param({"gcc -DHAVE_CONFIG_H -I. -I.. -g -O2 -MT inflate.lo -MD -MP -c inflate.c -fPIC -o .libs/inflate.o",
            "java -jar send-event.jar HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=a2V5a2V5a2V5== --password=x1y2z3"})
    String commandLine;

    final SecretRedactor redactor = SecretRedactor.withPatterns(List.of());

    @Benchmark
    public String redact() {
        return redactor.redact(commandLine);
    }
}
