package io.microagent.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void replaceLeavesOnlyTheNewContentReadableByItsOwner() throws IOException {
        Path target = dir.resolve("agent-id");
        Files.writeString(target, "old");
        PrivateFiles.replace(target, "new\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("new\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of(target), list(), "no temporary file is left");
    }

    @Test
    void temporaryNamesAreNewEachTimeAndSkipWhatAnEarlierJvmLeft() throws IOException {
        Path first = PrivateFiles.createTemp(dir, "message");
        Path second = PrivateFiles.createTemp(dir, "message");
        assertNotEquals(first, second);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        // What a JVM of the same pid left under the next name is never reused or overwritten.
        String[] parts = second.getFileName().toString().split("\\.");
        Path leftover = dir.resolve("message." + parts[1] + "." + (Long.parseLong(parts[2]) + 1) + ".tmp");
        Files.writeString(leftover, "left");
        Path third = PrivateFiles.createTemp(dir, "message");
        assertNotEquals(leftover, third);
        assertEquals("left", Files.readString(leftover));
        assertEquals(0, Files.size(third));
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
