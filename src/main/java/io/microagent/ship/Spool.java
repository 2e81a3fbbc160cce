package io.microagent.ship;

import io.microagent.linux.FileLocks;
import io.microagent.linux.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One output's unsent messages on disk, shared by the agents of one state directory, so that an outage that
 * outlives a JVM loses nothing and each message goes out once. Each message is a file (readable by its owner
 * only) named after its creation time. A file directly in the spool is anyone's; a file in a JVM's own
 * directory ({@code PID/}, guarded by an OS lock on {@code PID.lock}) is that JVM's. A message is claimed by an
 * atomic rename into the claiming JVM's directory before it is sent, so two agents never both send it, and a
 * JVM deletes only what it claimed. What a dead JVM held (its lock free) goes back to everyone.
 */
final class Spool {
    private static final String SUFFIX = ".json";
    private static final String LOCK = ".lock";
    private static final FileAttribute<?> DIRECTORY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------"));

    /** A message on disk. */
    record Stored(Path file, Instant created, byte[] message) {
    }

    private final Path root;
    private final Path own;
    private final Path ownLockFile;
    private final FileChannel ownLock;
    private final AtomicLong sequence = new AtomicLong();

    Spool(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root, DIRECTORY);
        // The pid names this JVM's directory; another name when it is taken (a second agent in one JVM, or two
        // containers' pid namespaces sharing the directory).
        String pid = Long.toString(ProcessHandle.current().pid());
        for (int n = 1; ; n++) {
            String name = n == 1 ? pid : pid + "-" + n;
            Path lockFile = root.resolve(name + LOCK);
            FileChannel channel = FileLocks.open(lockFile);
            if (FileLocks.tryLock(channel) != null) {
                this.ownLockFile = lockFile;
                this.ownLock = channel;
                this.own = Files.createDirectories(root.resolve(name), DIRECTORY);
                return;
            }
            channel.close();
            if (n == 100) {
                throw new IOException("no free name for this JVM's messages in " + root);
            }
        }
    }

    /** Writes the message: this JVM's ({@code claimed}, it sends it) or anyone's. Returns its file. */
    Path write(byte[] message, Instant created, boolean claimed) throws IOException {
        String name = String.format("%013d-%d-%06d", created.toEpochMilli(), ProcessHandle.current().pid(),
                sequence.incrementAndGet());
        Path temp = PrivateFiles.createTemp(own, name); // never half-written where others look
        Files.write(temp, message);
        return move(temp, (claimed ? own : root).resolve(name + SUFFIX));
    }

    boolean owns(Path file) {
        return own.equals(file.getParent());
    }

    /** The file in this JVM's directory, moved there when it was anyone's; null when another agent took it. */
    Path claim(Path file) throws IOException {
        if (owns(file)) {
            return file;
        }
        try {
            return move(file, own.resolve(file.getFileName()));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Gives a message of this JVM back to everyone (its output cannot send now); returns its new file. */
    Path release(Path file) throws IOException {
        return owns(file) ? move(file, root.resolve(file.getFileName())) : file;
    }

    boolean exists(Path file) {
        return Files.exists(file);
    }

    void delete(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }

    /** What this JVM's directory held at start (a process of the same pid before), oldest first. */
    List<Stored> own(long[] unreadable) {
        return read(own, Set.of(), unreadable);
    }

    /**
     * Messages for anyone that are not in {@code known}, oldest first, after moving back to everyone what dead JVMs
     * held. Files that cannot be messages are removed and counted.
     */
    List<Stored> unclaimed(Set<Path> known, long[] unreadable) {
        adoptFromDeadJvms();
        return read(root, known, unreadable);
    }

    private List<Stored> read(Path directory, Set<Path> known, long[] unreadable) {
        List<Stored> stored = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (known.contains(file) || name.endsWith(LOCK) || Files.isDirectory(file)) {
                    continue;
                }
                try {
                    if (!name.endsWith(SUFFIX)) {
                        throw new IOException("not a message (an interrupted write)");
                    }
                    long millis = Long.parseLong(name.substring(0, name.indexOf('-')));
                    stored.add(new Stored(file, Instant.ofEpochMilli(millis), Files.readAllBytes(file)));
                } catch (NoSuchFileException e) {
                    // claimed by another agent meanwhile
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

    /**
     * A JVM directory whose lock nobody holds belonged to a JVM that is gone: its messages become anyone's. The lock
     * is held while they move, so two agents doing this in turn move each file once. The lock file stays: a new JVM
     * of that pid may already wait on it.
     */
    private void adoptFromDeadJvms() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : entries) {
                if (dir.equals(own)) {
                    continue;
                }
                try (FileChannel channel = FileLocks.open(root.resolve(dir.getFileName() + LOCK))) {
                    if (FileLocks.tryLock(channel) == null) {
                        continue; // its JVM lives
                    }
                    giveBack(dir);
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // unreadable or just emptied by another agent: tried again at the next scan
                }
            }
        } catch (IOException e) {
            // the spool went away: nothing to adopt
        }
    }

    /** Moves a directory's messages to everyone, removing what cannot be one. */
    private void giveBack(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (file.getFileName().toString().endsWith(SUFFIX)) {
                    try {
                        move(file, root.resolve(file.getFileName()));
                    } catch (NoSuchFileException e) {
                        // gone meanwhile
                    }
                } else {
                    file.toFile().delete();
                }
            }
        }
    }

    /** At exit: this JVM's messages go back to everyone, its directory and lock file are removed. */
    void close() {
        try {
            giveBack(own);
            Files.deleteIfExists(own);
            Files.deleteIfExists(ownLockFile);
        } catch (IOException e) {
            // left for the next agent, which adopts what a JVM left once its lock is free
        }
        try {
            ownLock.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    private static Path move(Path from, Path to) throws IOException {
        try {
            return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(from, to);
        }
    }
}
