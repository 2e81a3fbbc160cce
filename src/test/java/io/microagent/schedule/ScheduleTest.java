package io.microagent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.core.Failures;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    static final Instant START = Instant.parse("2026-11-27T18:00:00Z");
    static final List<Duration> DEFAULTS = List.of(Duration.ofMinutes(30), Duration.ofMinutes(120),
            Duration.ofMinutes(1440));

    @Test
    void theFirstCloseIsARandomOffsetBelowTheShortestInterval() {
        Set<Instant> firsts = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            Instant first = new Schedule(DEFAULTS, START, new Random(seed)).nextDue();
            assertFalse(first.isBefore(START));
            assertTrue(first.isBefore(START.plus(Duration.ofMinutes(30))), first.toString());
            firsts.add(first);
        }
        assertTrue(firsts.size() > 40, "devices started together do not send together: " + firsts.size());
    }

    @Test
    void groupsCloseAtTheirIntervalsFromOneAnchor() {
        Schedule s = new Schedule(DEFAULTS, START, new Random(7));
        Instant anchor = s.nextDue();
        assertEquals(Set.of(), s.dueAt(anchor.minusMillis(1)));
        assertEquals(EnumSet.allOf(Priority.class), s.dueAt(anchor), "all groups share the first window close");
        assertEquals(anchor.plus(Duration.ofMinutes(30)), s.nextDue());
        List<Set<Priority>> closes = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            closes.add(s.dueAt(anchor.plus(Duration.ofMinutes(30L * i))));
        }
        assertEquals(List.of(EnumSet.of(Priority.HIGH), EnumSet.of(Priority.HIGH), EnumSet.of(Priority.HIGH),
                EnumSet.of(Priority.HIGH, Priority.MEDIUM)), closes);
        assertEquals(EnumSet.of(Priority.HIGH, Priority.MEDIUM, Priority.LOW),
                s.dueAt(anchor.plus(Duration.ofMinutes(1440))));
    }

    @Test
    void windowsMissedWhileAsleepCollapseIntoOne() {
        Schedule s = new Schedule(DEFAULTS, START, new Random(1));
        Instant anchor = s.nextDue();
        s.dueAt(anchor);
        Instant late = anchor.plus(Duration.ofMinutes(95));
        assertEquals(EnumSet.of(Priority.HIGH), s.dueAt(late));
        assertEquals(anchor.plus(Duration.ofMinutes(120)), s.nextDue(), "back on the grid, no burst");
        assertEquals(EnumSet.of(Priority.HIGH, Priority.MEDIUM), s.dueAt(s.nextDue()));
    }

    @Test
    void aClockSetFarBackRestartsTheCountFromNow() {
        Schedule s = new Schedule(DEFAULTS, START, new Random(3));
        s.dueAt(s.nextDue());
        Instant past = START.minus(Duration.ofDays(400));
        assertEquals(Set.of(), s.dueAt(past));
        assertEquals(past.plus(Duration.ofMinutes(30)), s.nextDue());
    }

    @Test
    void theSchedulerHandsDueGroupsOverAtTheClocksTime() {
        ManualClock clock = new ManualClock(START);
        Schedule s = new Schedule(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40)),
                START, new Random(5));
        List<String> closes = new ArrayList<>();
        Scheduler scheduler = new Scheduler(s, clock, (groups, now) -> closes.add(groups + "@" + now), () -> { },
                new Failures(new CapturedLog().log()));
        clock.set(s.nextDue());
        Instant anchor = clock.instant();
        scheduler.runDue();
        clock.advance(Duration.ofSeconds(10));
        scheduler.runDue();
        scheduler.runDue();
        clock.advance(Duration.ofSeconds(10));
        scheduler.runDue();
        assertEquals(List.of("[HIGH, MEDIUM, LOW]@" + anchor, "[HIGH]@" + anchor.plusSeconds(10),
                "[HIGH, MEDIUM]@" + anchor.plusSeconds(20)), closes);
    }

    @Test
    void aFailingWindowCloseIsContainedAndCounted() {
        ManualClock clock = new ManualClock(START);
        Schedule s = new Schedule(DEFAULTS, START, new Random(5));
        CapturedLog log = new CapturedLog();
        Failures failures = new Failures(log.log());
        Scheduler scheduler = new Scheduler(s, clock, (groups, now) -> {
            throw new IllegalStateException("boom");
        }, () -> { }, failures);
        clock.set(s.nextDue());
        scheduler.runDue();
        clock.advance(Duration.ofMinutes(30));
        scheduler.runDue();
        assertEquals(2, failures.total());
        assertEquals(1, log.lines().size(), "logged once");
    }

    @Test
    void theTickRunsOnTheSchedulersThreadAtItsWakes() throws InterruptedException {
        Schedule s = new Schedule(DEFAULTS, START, new Random(5));
        java.util.concurrent.CountDownLatch ticked = new java.util.concurrent.CountDownLatch(1);
        String[] on = new String[1];
        Scheduler scheduler = new Scheduler(s, java.time.Clock.systemUTC(), (groups, now) -> { }, () -> {
            on[0] = Thread.currentThread().getName();
            ticked.countDown();
        }, new Failures(new CapturedLog().log()));
        scheduler.start();
        try {
            assertTrue(ticked.await(10, java.util.concurrent.TimeUnit.SECONDS), "a tick at the first wake");
            assertEquals("iot-micro-agent-scheduler", on[0]);
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
    }
}
