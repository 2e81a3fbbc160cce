package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        ProcessExecution e = reader.withStatus(42, T, null, ProcessExecution.EXEC);
        assertEquals("/usr/bin/curl -s http://198.51.100.7/x.sh", e.commandLine());
        assertEquals("/usr/bin/curl", e.executable());
        assertEquals(1000, e.uid());
        assertEquals("pi", e.userName());
        assertEquals(41, e.parentPid());
        assertEquals(42, e.pid());
        assertArrayEquals(new int[] {1000, 41}, reader.uidAndParent(42));
    }

    @Test
    void anImageTakesTheParentAndUidTheEventsGave() {
        ProcessExecution e = reader.image(42, T, 7, 0, ProcessExecution.EXEC);
        assertEquals("/usr/bin/curl -s http://198.51.100.7/x.sh", e.commandLine());
        assertEquals("/usr/bin/curl", e.executable());
        assertEquals(7, e.parentPid());
        assertEquals(0, e.uid());
    }

    @Test
    void aScanTellsAForkFromAnExecByTheKernelsFlag() throws IOException {
        ProcessExecution e = reader.scanned(42, T);
        assertEquals(ProcessExecution.EXEC, e.type());
        assertEquals(41, e.parentPid());
        assertEquals(1000, e.uid());
        Files.writeString(root.resolve("proc/42/stat"), "42 (cu) rl) S 41 42 42 0 -1 4194368 0 0 0 0 0 0 0 0 20 0 1 0 500");
        ProcessExecution forked = reader.scanned(42, T);
        assertEquals(ProcessExecution.FORK, forked.type(), "PF_FORKNOEXEC (0x40) is set in flags 4194368");
        assertEquals("/usr/bin/curl -s http://198.51.100.7/x.sh", forked.commandLine());
    }

    @Test
    void aGoneOrGarbledProcessIsUnread() throws IOException {
        assertEquals("", reader.withStatus(43, T, 7, ProcessExecution.EXEC).commandLine());
        assertEquals(7, reader.withStatus(43, T, 7, ProcessExecution.EXEC).parentPid(), "what the event said stays");
        assertEquals("", reader.image(43, T, 7, 0, ProcessExecution.EXEC).commandLine());
        assertNull(reader.image(43, T, 7, 0, ProcessExecution.EXEC).uid());
        assertNull(reader.uidAndParent(43));
        Files.writeString(root.resolve("proc/42/stat"), "42 (trunc");
        assertEquals("", reader.scanned(42, T).commandLine());
    }
}
