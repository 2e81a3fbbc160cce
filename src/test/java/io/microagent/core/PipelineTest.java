package io.microagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.event.LocalZone;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.aggregate.Aggregate;
import io.microagent.aggregate.Aggregator;
import io.microagent.aggregate.OverflowPolicy;
import io.microagent.collect.AggregatedEvents;
import io.microagent.collect.Collector;
import io.microagent.collect.heartbeat.Heartbeat;
import io.microagent.collect.operational.DroppedEventsStatistics;
import io.microagent.event.DropLedger;
import io.microagent.event.SecurityEvent;
import io.microagent.event.Timestamps;
import io.microagent.output.FileOutput;
import io.microagent.schedule.Priority;
import io.microagent.ship.MessageBuilder;
import io.microagent.ship.Outbox;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.Exec;
import io.microagent.testing.ManualClock;
import io.microagent.testing.MessageSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Collector to file through aggregation, window close, builder and outbox, on a hand-moved clock. */
class PipelineTest {
    record ExecPayload(@JsonProperty("Timestamp") String timestamp, @JsonProperty("ProcessId") long pid,
            @JsonProperty("CommandLine") String commandLine, @JsonProperty("UserId") long uid,
            @JsonProperty("Type") String type, @JsonProperty("HitCount") long hitCount) {
        static ExecPayload of(Aggregate<Exec> a) {
            Exec e = a.first();
            return new ExecPayload(Timestamps.utc(e.time()), e.pid(), e.commandLine(), e.uid(), "exec", a.hitCount());
        }
    }

    /** An event collector as issue 3's will be: a source pushes, the window is closed by the pipeline. */
    static final class Execs implements Collector {
        final AggregatedEvents<Exec> events;

        Execs(int capacity, DropLedger drops, CapturedLog log) {
            events = new AggregatedEvents<>("ProcessCreate", new Aggregator<>("ProcessCreate", "Process_CacheSize",
                    capacity, OverflowPolicy.DROP_OLDEST, Exec.COMMAND_AND_UID, log.log()), ExecPayload::of, drops);
        }

        @Override
        public String name() {
            return "ProcessCreate";
        }

        @Override
        public List<SecurityEvent> collect(Instant windowEnd) {
            return events.close(windowEnd);
        }

        @Override
        public List<SecurityEvent> flush(Instant now) {
            return events.close(now);
        }
    }

    @TempDir
    Path dir;

    @Test
    void aWindowOfExecutionsArrivesAggregatedWithDropsReported() throws IOException {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-27T18:00:00Z"));
        CapturedLog log = new CapturedLog();
        DropLedger drops = new DropLedger();
        Path file = dir.resolve("messages.jsonl");
        Failures failures = new Failures(log.log());
        Outbox outbox = new Outbox(List.of(new FileOutput(file)), Outbox.DEFAULT_MAX_BYTES, Duration.ofDays(2), clock,
                log.log(), failures);
        Pipeline pipeline = new Pipeline(new MessageBuilder("0.1.0", "5b0d9a3e-8f5c-4c1e-9a57-0d6f3b8e2c41",
                LocalZone.of(ZoneId.of("UTC")), MessageBuilder.MAX_MESSAGE_BYTES, drops, log.log()), outbox, failures);
        Execs execs = new Execs(3, drops, log);
        pipeline.add(execs, Priority.MEDIUM);
        pipeline.addReport(new DroppedEventsStatistics(drops), Priority.HIGH);
        pipeline.add(new Heartbeat(), Priority.LOW);

        Instant t0 = clock.instant();
        for (int i = 0; i < 3; i++) {
            execs.events.accept(new Exec("/usr/bin/id", 0, 100 + i, t0.plusSeconds(i)));
        }
        execs.events.accept(new Exec("/usr/bin/id", 1000, 200, t0.plusSeconds(5)));
        execs.events.accept(new Exec("uname -a", 0, 300, t0.plusSeconds(6)));
        execs.events.accept(new Exec("cat /etc/shadow", 0, 400, t0.plusSeconds(7))); // evicts /usr/bin/id uid 0
        clock.advance(Duration.ofMinutes(120));
        pipeline.windowsClosed(Set.of(Priority.HIGH, Priority.MEDIUM), clock.instant());
        outbox.pump();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), "groups closing together share one message");
        byte[] message = lines.get(0).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(), MessageSchema.violations(message));
        JsonNode events = MessageSchema.parse(message).get("Events");
        JsonNode process = events.get(0);
        assertEquals("ProcessCreate", process.get("Name").asText());
        List<String> seen = new ArrayList<>();
        process.get("Payload").forEach(p -> seen.add(p.get("CommandLine").asText() + "/" + p.get("UserId").asInt()
                + "x" + p.get("HitCount").asInt()));
        assertEquals(List.of("/usr/bin/id/1000x1", "uname -a/0x1", "cat /etc/shadow/0x1"), seen);
        JsonNode dropped = events.get(1);
        assertEquals("DroppedEventsStatistics", dropped.get("Name").asText());
        assertEquals(6, dropped.get("Payload").get(0).get("CollectedEvents").asInt());
        assertEquals(3, dropped.get("Payload").get(0).get("DroppedEvents").asInt());
        assertTrue(log.lines().get(0).contains("raise Process_CacheSize"));

        // Shutdown flush: a half-open window is sent, the Heartbeat is not.
        execs.events.accept(new Exec("/usr/bin/id", 0, 500, clock.instant()));
        pipeline.flush(clock.instant());
        outbox.pump();
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        JsonNode last = MessageSchema.parse(lines.get(1).getBytes(StandardCharsets.UTF_8)).get("Events");
        assertEquals(1, last.size());
        assertEquals("/usr/bin/id", last.get(0).get("Payload").get(0).get("CommandLine").asText());
    }
}
