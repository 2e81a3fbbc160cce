package io.microagent.entry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the agent starts after -javaagent: once the JVM's class loading has gone quiet. */
class StartUpBurstTest {
    @Test
    void theAgentWaitsForTheClassLoadingToGoQuiet() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        // 50 classes a poll for the first 6 polls (the application starting), then none.
        StartUpBurst.awaitEnd(() -> 50L * Math.min(6, polls.getAndIncrement()), 60_000);
        int quietPolls = (int) (StartUpBurst.QUIET_MS / StartUpBurst.POLL_MS);
        assertTrue(polls.get() >= 6 + quietPolls, "it waited through the burst and a quiet spell: " + polls + " polls");
    }

    @Test
    void anApplicationThatNeverGoesQuietWaitsOnlyUpToTheLimit() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        long waited = StartUpBurst.awaitEnd(() -> 100L * polls.getAndIncrement(), 500);
        assertTrue(waited >= 500, "waited " + waited + " ms");
        assertTrue(polls.get() >= 5, "polled while waiting: " + polls);
    }
}
