package io.microagent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.core.Failures;
import io.microagent.output.FileOutput;
import io.microagent.output.Output;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    static final Instant T = Instant.parse("2026-11-27T18:00:00Z");

    /** An output that takes messages, or refuses them while {@code failing}, or is not ready. */
    static final class Recording implements Output {
        final List<String> taken = new ArrayList<>();
        boolean failing;
        boolean ready = true;
        int attempts;

        @Override
        public String name() {
            return "Recording";
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public CompletableFuture<Void> send(byte[] message) {
            attempts++;
            if (failing) {
                return CompletableFuture.failedFuture(new IOException("hub unreachable"));
            }
            taken.add(new String(message, StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(null);
        }
    }

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(T);
    final CapturedLog log = new CapturedLog();

    Outbox outbox(Output output, long maxBytes, Duration timeout) {
        return new Outbox(List.of(output), maxBytes, timeout, clock, log.log(), new Failures(log.log()));
    }

    static List<byte[]> messages(String... texts) {
        return java.util.Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void messagesReachEveryOutputInOrder() throws IOException {
        Recording recording = new Recording();
        Path file = dir.resolve("out.jsonl");
        Outbox outbox = new Outbox(List.of(recording, new FileOutput(file)), 1 << 20, Duration.ofHours(1), clock,
                log.log(), new Failures(log.log()));
        outbox.offer(messages("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"));
        for (int i = 0; i < 3; i++) {
            outbox.pump();
        }
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"), recording.taken);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"), Files.readAllLines(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(new OutputStatistics("Recording", 3, 0, 0, 0), new OutputStatistics("File", 3, 0, 0, 0)),
                outbox.statistics());
    }

    @Test
    void aFailedSendStaysAndIsRetriedWithBackoff() {
        Recording out = new Recording();
        Outbox outbox = outbox(out, 1 << 20, Duration.ofHours(1));
        out.failing = true;
        outbox.offer(messages("m1"));
        outbox.pump();
        assertEquals(1, out.attempts);
        Instant next = outbox.pump();
        assertEquals(1, out.attempts, "not before the backoff");
        assertEquals(T.plusSeconds(1), next);
        clock.advance(Duration.ofSeconds(1));
        outbox.pump();
        assertEquals(2, out.attempts);
        assertEquals(T.plusSeconds(1 + 2), outbox.pump(), "backoff doubles");
        out.failing = false;
        clock.advance(Duration.ofSeconds(2));
        outbox.pump();
        assertEquals(List.of("m1"), out.taken);
        assertEquals(new OutputStatistics("Recording", 1, 2, 0, 0), outbox.statistics().get(0));
        assertEquals(1, log.lines().size(), "the failure is logged once: " + log.lines());
        assertEquals(Duration.ofMinutes(5), Outbox.backoff(40));
    }

    @Test
    void messagesWaitWhileTheOutputIsNotReady() {
        Recording out = new Recording();
        out.ready = false;
        Outbox outbox = outbox(out, 1 << 20, Duration.ofHours(1));
        outbox.offer(messages("m1", "m2"));
        outbox.pump();
        assertEquals(0, out.attempts);
        assertEquals(2, outbox.statistics().get(0).pending());
        out.ready = true;
        outbox.pump();
        outbox.pump();
        assertEquals(List.of("m1", "m2"), out.taken);
    }

    @Test
    void messagesOlderThanTheTimeoutAreDroppedAndCounted() {
        Recording out = new Recording();
        out.ready = false;
        Outbox outbox = outbox(out, 1 << 20, Duration.ofMinutes(10));
        outbox.offer(messages("old"));
        clock.advance(Duration.ofMinutes(6));
        outbox.offer(messages("new"));
        clock.advance(Duration.ofMinutes(5));
        outbox.pump();
        out.ready = true;
        outbox.pump();
        outbox.pump();
        assertEquals(List.of("new"), out.taken);
        assertEquals(new OutputStatistics("Recording", 1, 0, 1, 0), outbox.statistics().get(0));
        assertTrue(log.lines().get(0).contains("IothubModule_MessageTimeout"), log.lines().toString());
    }

    @Test
    void aFullOutboxDropsTheOldestMessage() {
        Recording out = new Recording();
        out.ready = false;
        Outbox outbox = outbox(out, 10, Duration.ofHours(1));
        outbox.offer(messages("aaaa", "bbbb", "cccc", "dddd"));
        out.ready = true;
        for (int i = 0; i < 4; i++) {
            outbox.pump();
        }
        assertEquals(List.of("cccc", "dddd"), out.taken);
        assertEquals(2, outbox.statistics().get(0).dropped());
        assertTrue(log.lines().get(0).contains("is full"));
    }

    @Test
    void flushSendsWhatItCanWithinItsBound() {
        Recording ready = new Recording();
        Outbox outbox = outbox(ready, 1 << 20, Duration.ofHours(1));
        outbox.offer(messages("a", "b", "c"));
        assertEquals(0, outbox.flush(Duration.ofSeconds(1)));
        assertEquals(3, ready.taken.size());

        Recording down = new Recording();
        down.ready = false;
        Outbox stuck = outbox(down, 1 << 20, Duration.ofHours(1));
        stuck.offer(messages("a"));
        long begin = System.nanoTime();
        assertEquals(1, stuck.flush(Duration.ofSeconds(5)));
        assertTrue(System.nanoTime() - begin < 1_000_000_000L, "an output that cannot take does not hold shutdown");
    }

    Outbox spooled(Output output, Path spool) {
        return new Outbox(List.of(output), java.util.Map.of(output, new Outbox.Spooling(spool, () -> true)), 1 << 20,
                Duration.ofHours(1), clock, log.log(), new Failures(log.log()));
    }

    static List<Path> files(Path dir) throws IOException {
        try (var tree = Files.walk(dir)) {
            return tree.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Two agents on one state directory: the one without a client hands its messages to the one with a client. */
    @Test
    void anAgentWithAClientSendsWhatAnAgentWithoutOneSpooled() throws IOException {
        Path spool = dir.resolve("outbox-iothub");
        Recording none = new Recording();
        none.ready = false;
        Recording client = new Recording();
        Outbox without = spooled(none, spool);
        Outbox with = spooled(client, spool);
        without.offer(messages("w1", "w2"));
        without.pump();
        assertEquals(2, files(spool).size(), "written where any agent may take them");
        clock.advance(Outbox.SPOOL_CHECK);
        with.pump();
        with.pump();
        assertEquals(List.of("w1", "w2"), client.taken);
        assertEquals(List.of(), files(spool), "sent, then deleted by the agent that claimed them");
        clock.advance(Outbox.SPOOL_CHECK);
        without.pump();
        assertEquals(0, without.statistics().get(0).pending(), "the other agent sent them: not waiting here");
        assertEquals(0, without.statistics().get(0).dropped(), "and not counted as dropped");
        assertEquals(2, without.lanes().get(0).sentByOthers());
        none.ready = true;
        without.pump();
        assertEquals(0, none.attempts, "never sent twice");
    }

    /** Both agents hold the same spooled message in memory; the claim lets exactly one send it. */
    @Test
    void aMessageTwoAgentsQueuedIsSentByOneOfThem() throws IOException {
        Path spool = dir.resolve("outbox-iothub");
        Recording none = new Recording();
        none.ready = false;
        Outbox first = spooled(none, spool);
        first.offer(messages("m1"));
        first.pump();
        Recording a = new Recording();
        Recording b = new Recording();
        Outbox agentA = spooled(a, spool);
        Outbox agentB = spooled(b, spool);
        assertEquals(1, agentA.statistics().get(0).pending());
        assertEquals(1, agentB.statistics().get(0).pending(), "both queued it at start");
        agentB.pump();
        agentA.pump();
        assertEquals(1, a.taken.size() + b.taken.size(), "sent once");
        assertEquals(0, agentA.statistics().get(0).pending() + agentB.statistics().get(0).pending());
    }

    /** A JVM killed with messages in its own directory: they go back to everyone once its lock is free. */
    @Test
    void whatADeadJvmHeldIsSentByTheNextAgent() throws IOException {
        Path spool = dir.resolve("outbox-iothub");
        Path dead = Files.createDirectories(spool.resolve("4194305"));
        Files.writeString(spool.resolve("4194305.lock"), "");
        Files.writeString(dead.resolve(T.toEpochMilli() + "-4194305-000001.json"), "d1");
        Files.writeString(dead.resolve(T.toEpochMilli() + "-4194305-000002.json.tmp"), "half");
        Recording out = new Recording();
        Outbox outbox = spooled(out, spool);
        outbox.pump();
        assertEquals(List.of("d1"), out.taken);
        assertTrue(Files.notExists(dead), "the dead JVM's directory is gone");
        assertEquals(List.of(), files(spool));
    }

    /** At exit a JVM leaves its unsent messages to everyone; its directory and lock file go. */
    @Test
    void atExitUnsentMessagesAreLeftToTheOtherAgents() throws IOException {
        Path spool = dir.resolve("outbox-iothub");
        Recording out = new Recording();
        out.failing = true;
        Outbox outbox = spooled(out, spool);
        outbox.offer(messages("u1"));
        outbox.pump();
        assertEquals(1, out.attempts);
        outbox.close();
        try (var left = Files.list(spool)) {
            List<String> names = left.map(f -> f.getFileName().toString()).toList();
            assertEquals(1, names.size(), names.toString());
            assertTrue(names.get(0).endsWith(".json"), names.toString());
        }
    }

    /** An agent without a client keeps its messages in memory until another agent has seen one, then on disk. */
    @Test
    void theSpoolOpensOnceAClientHasBeenSeenOnTheDirectory() throws IOException {
        Path spool = dir.resolve("outbox-iothub");
        Recording none = new Recording();
        none.ready = false;
        boolean[] seen = {false};
        Outbox outbox = new Outbox(List.of(none), java.util.Map.of(none, new Outbox.Spooling(spool, () -> seen[0])),
                1 << 20, Duration.ofHours(1), clock, log.log(), new Failures(log.log()));
        outbox.offer(messages("m1"));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            outbox.pump();
        }
        assertTrue(Files.notExists(spool), "nothing on disk while no client was seen");
        seen[0] = true;
        for (int i = 0; i < 10; i++) { // the outbox pumps each second while its output is not ready
            clock.advance(Duration.ofSeconds(1));
            outbox.pump();
        }
        assertEquals(1, files(spool).size(), "kept on disk for any agent with a client");
    }
}
