package io.microagent.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InotifyTest {
    @TempDir
    Path dir;

    @Test
    void aWriteInAWatchedDirectoryWakesAPollAndIsDrainedOnce() throws IOException {
        Path file = Files.writeString(dir.resolve("wtmp"), "");
        try (Inotify inotify = Inotify.open(); WakeablePoll poll = new WakeablePoll()) {
            inotify.watch(dir);
            assertFalse(inotify.drain(), "nothing changed yet");
            Files.writeString(file, "record", StandardOpenOption.APPEND);
            assertTrue(poll.awaitEither(-1, inotify.fd(), WakeablePoll.POLLIN, 10_000), "the write woke the poll");
            assertTrue(inotify.drain());
            assertFalse(inotify.drain(), "drained");
            assertFalse(poll.awaitEither(-1, inotify.fd(), WakeablePoll.POLLIN, 50), "nothing more changed");
        }
    }

    @Test
    void aDirectoryThatIsNotThereCannotBeWatched() throws IOException {
        try (Inotify inotify = Inotify.open()) {
            IOException e = assertThrows(IOException.class, () -> inotify.watch(dir.resolve("missing")));
            assertTrue(e.getMessage().contains("errno 2"), e.getMessage());
        }
    }
}
