package io.microagent.linux;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files the agent writes in its own directories, readable by their owner only. Temporary names are made here rather
 * than by {@code Files.createTempFile}, whose random names come from {@code SecureRandom} (over a megabyte of a
 * device's resident memory for its provider framework); an exclusive create keeps any name from being used twice.
 */
public final class PrivateFiles {
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final int ATTEMPTS = 100;

    private PrivateFiles() {
    }

    /** A new empty file {@code PREFIX.PID.N.tmp} in {@code directory}, created exclusively. */
    public static Path createTemp(Path directory, String prefix) throws IOException {
        FileAlreadyExistsException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            Path temp = directory.resolve(prefix + "." + ProcessHandle.current().pid() + "."
                    + SEQUENCE.incrementAndGet() + ".tmp");
            try {
                return Files.createFile(temp, OWNER_ONLY);
            } catch (FileAlreadyExistsException e) {
                last = e; // left by an earlier JVM of the same pid
            }
        }
        throw last;
    }

    /** Replaces {@code target} with {@code content} at once: a reader sees the old file or the new, never a part. */
    public static void replace(Path target, byte[] content) throws IOException {
        Path temp = createTemp(target.getParent(), target.getFileName().toString());
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
