package io.microagent.collect.login;

import io.microagent.json.Json;
import io.microagent.json.Tree;
import io.microagent.linux.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each followed file was read up to, with the file's identity (device and inode), kept in
 * {@code Agent_StateDirectory/login-positions.json} so a restart neither loses nor repeats a record. Without a
 * state directory, positions last as long as the JVM.
 */
public final class Positions {
    /** A file's identity and the offset read up to. */
    public record Position(long device, long inode, long offset) {
    }

    private final Optional<Path> file;
    private final Map<String, Position> positions = new LinkedHashMap<>();

    public Positions(Optional<Path> stateDirectory) {
        this.file = stateDirectory.map(d -> d.resolve("login-positions.json"));
        file.filter(Files::isRegularFile).ifPresent(f -> {
            try {
                Object root = Json.read(Files.readAllBytes(f));
                Tree.object(root).forEach((key, p) -> positions.put(key, new Position(
                        Tree.asLong(Tree.get(p, "device"), 0), Tree.asLong(Tree.get(p, "inode"), 0),
                        Tree.asLong(Tree.get(p, "offset"), 0))));
            } catch (IOException | RuntimeException e) {
                positions.clear(); // unreadable: the followers start at the files' ends, as on a first start
            }
        });
    }

    public synchronized Position get(String key) {
        return positions.get(key);
    }

    public synchronized void put(String key, Position position) {
        if (position.equals(positions.put(key, position))) {
            return;
        }
        if (file.isEmpty()) {
            return;
        }
        try {
            PrivateFiles.replace(file.get(), Json.write(positions));
        } catch (IOException | RuntimeException e) {
            // kept in memory; the next change tries again
        }
    }
}
