package io.microagent.ship;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One output's unsent messages on disk, so an outage that outlives the JVM loses nothing: each message is a
 * file (readable by its owner only) named after its creation time, written when the message is queued and
 * deleted when it is sent or dropped. The outbox's byte bound applies to it as to memory.
 */
final class Spool {
    private static final String SUFFIX = ".json";

    /** A message found on disk at start. */
    record Stored(Path file, Instant created, byte[] message) {
    }

    private final Path directory;
    private final AtomicLong sequence = new AtomicLong();

    Spool(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    /** Writes the message; returns its file. */
    Path write(byte[] message, Instant created) throws IOException {
        String name = String.format("%013d-%d-%06d", created.toEpochMilli(), ProcessHandle.current().pid(),
                sequence.incrementAndGet());
        Path temp = Files.createTempFile(directory, name, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temp, message);
        Path file = directory.resolve(name + SUFFIX);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file);
        }
        return file;
    }

    void delete(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }

    /** What an earlier run left, oldest first; files it cannot read or name are removed and counted. */
    List<Stored> load(long[] unreadable) {
        List<Stored> stored = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    if (name.endsWith(".tmp")) {
                        throw new IOException("an interrupted write");
                    }
                    long millis = Long.parseLong(name.substring(0, name.indexOf('-')));
                    stored.add(new Stored(file, Instant.ofEpochMilli(millis), Files.readAllBytes(file)));
                } catch (IOException | RuntimeException e) {
                    unreadable[0]++;
                    file.toFile().delete();
                }
            }
        } catch (IOException e) {
            return stored;
        }
        stored.sort(Comparator.comparing(Stored::created).thenComparing(s -> s.file().getFileName().toString()));
        return stored;
    }
}
