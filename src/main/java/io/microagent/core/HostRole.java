package io.microagent.core;

import io.microagent.event.Timestamps;
import io.microagent.linux.FileLocks;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Which of the agents sharing a state directory collects for the host: the one holding an OS lock on
 * {@value #LOCK_FILE} there. The kernel releases the lock when its JVM ends, however it ends, and wakes the next
 * agent waiting for it (no polling). The holder writes its pid into the file so the others can name it.
 * Without a state directory the agent is alone and collects.
 */
public final class HostRole {
    static final String LOCK_FILE = "host-collector.lock";

    private final Optional<Path> lockFile;
    private final AgentLog log;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();
    private FileChannel channel;
    private volatile boolean held;
    private volatile boolean stopping;
    private volatile Instant since;
    private volatile long takeovers;
    private volatile String lastTakeover = "";
    private Thread waiter;

    public HostRole(Optional<Path> stateDirectory, AgentLog log, Clock clock) {
        this.lockFile = stateDirectory.map(d -> d.resolve(LOCK_FILE));
        this.log = log;
        this.clock = clock;
    }

    /**
     * Takes the role now when it is free (then {@code onHeld} runs on this thread), else waits for it on a
     * daemon thread and runs {@code onHeld} there when the collecting JVM has gone.
     */
    public void start(Runnable onHeld) {
        if (lockFile.isEmpty()) {
            hold(onHeld);
            return;
        }
        try {
            channel = FileLocks.open(lockFile.get());
            FileLock lock = FileLocks.tryLock(channel);
            if (lock != null) {
                hold(onHeld);
                return;
            }
        } catch (IOException e) {
            log.warning("cannot take part in the election of the host's collector through " + lockFile.get() + " ("
                    + e.getMessage() + "): this agent collects for the host, beside any other agent there");
            hold(onHeld);
            return;
        }
        String holder = holder();
        log.info("process " + holder + " collects for the host (it holds " + lockFile.get() + "); this agent reports"
                + " its own JVM (its jars, heartbeat) and takes over if that process ends");
        waiter = AgentThreads.start("host-role", () -> await(holder, onHeld));
    }

    private void await(String previous, Runnable onHeld) {
        try {
            long waitingSince = System.nanoTime();
            while (!stopping) {
                try {
                    channel.lock(); // blocks in the kernel until the holder's JVM releases it or dies
                    break;
                } catch (OverlappingFileLockException e) {
                    Thread.sleep(1000); // another agent in this JVM (tests only): no kernel wait is possible
                }
            }
            if (stopping) {
                return;
            }
            long freeAfter = (System.nanoTime() - waitingSince) / 1_000_000;
            long started = System.nanoTime();
            hold(onHeld);
            long startMs = (System.nanoTime() - started) / 1_000_000;
            takeovers++;
            lastTakeover = "from process " + previous + " at " + Timestamps.utc(since) + ", host collectors running "
                    + startMs + " ms after its lock came free";
            log.info("takes over collecting for the host from process " + previous + " (it ended " + freeAfter
                    + " ms after this agent started waiting); host collectors running " + startMs + " ms after its lock"
                    + " came free: what the host did in between, and that process's open windows, are not reported");
        } catch (IOException | InterruptedException e) {
            if (!stopping) {
                log.warning("stopped waiting to collect for the host (" + e + "): this agent reports its own JVM only");
            }
        }
    }

    /** Under this object's lock, so that {@link #closing()} waits for host collectors being started. */
    private synchronized void hold(Runnable onHeld) {
        if (stopping) {
            return;
        }
        since = clock.instant();
        writePid();
        held = true;
        onHeld.run();
    }

    private void writePid() {
        if (channel == null) {
            return;
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
        } catch (IOException e) {
            log.debug(() -> "cannot write this pid into " + lockFile.get() + ": " + e);
        }
    }

    /** The pid written by the holder, or "?" when unreadable. */
    private String holder() {
        try {
            String text = Files.readString(lockFile.get(), StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,10}") ? text : "?";
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Whether this agent collects for the host. */
    public boolean held() {
        return held;
    }

    /** For status: the role, the collecting process, the take-overs. */
    public String describe() {
        if (held) {
            return "collects for the host and for its own JVM (process " + pid + ") since " + Timestamps.utc(since)
                    + lockFile.map(f -> ", holding " + f).orElse(", alone: no state directory to share")
                    + "; take-overs " + takeovers + (lastTakeover.isEmpty() ? "" : ", last " + lastTakeover);
        }
        return "collects for its own JVM only (process " + pid + "); process " + holder()
                + " collects for the host (it holds " + lockFile.map(Path::toString).orElse("?")
                + "); this agent takes over when that process ends";
    }

    /** Text for a collector that waits for the role. */
    public String standby() {
        return "standby, process " + holder() + " collects for the host";
    }

    /** At exit, before the collectors stop: from now on the role is not taken, and a start under way has ended. */
    public synchronized void closing() {
        stopping = true;
    }

    /** Releases the role (after the host collectors have stopped and put back what they changed). */
    public void stop() {
        closing();
        if (channel != null) {
            try {
                channel.close(); // releases the lock, and wakes a waiting thread of this agent with an exception
            } catch (IOException e) {
                log.debug(() -> "closing " + lockFile.get() + ": " + e);
            }
        }
        AgentThreads.join(waiter, java.time.Duration.ofMillis(100));
    }
}
