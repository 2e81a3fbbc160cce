package io.microagent.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;

/**
 * Appends each message as one JSON line. The file is opened for each message, so rotation by logrotate
 * needs no signal; a new file is readable by its owner only, as messages hold command lines.
 */
public final class FileOutput implements Output {
    private final Path file;

    public FileOutput(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "File";
    }

    @Override
    public CompletableFuture<Void> send(byte[] message) {
        ByteBuffer line = ByteBuffer.allocate(message.length + 1).put(message).put((byte) '\n').flip();
        try (FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            while (line.hasRemaining()) {
                channel.write(line);
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
