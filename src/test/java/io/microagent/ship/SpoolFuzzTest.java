package io.microagent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** What a crash may leave in the spool (any names, any bytes): loaded or removed and counted, never a throw. */
class SpoolFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void leftovers(FuzzedDataProvider data) throws IOException {
        Path dir = Files.createTempDirectory("fuzz-spool-");
        try {
            int files = data.consumeInt(0, 4);
            int written = 0;
            int locks = 0;
            String pid = Long.toString(ProcessHandle.current().pid());
            for (int i = 0; i < files; i++) {
                String name = data.consumeAsciiString(30).replaceAll("[/\\x00]", "_");
                if (name.isEmpty() || name.equals(".") || name.equals("..") || name.startsWith(pid)) {
                    continue; // not this JVM's own directory or lock
                }
                Path file = dir.resolve(name);
                if (!Files.exists(file)) {
                    Files.write(file, data.consumeBytes(200));
                    if (name.endsWith(".lock")) {
                        locks++; // another JVM's lock: never a message, never removed
                    } else {
                        written++;
                    }
                }
            }
            long[] unreadable = {0};
            List<Spool.Stored> loaded = new Spool(dir).unclaimed(Set.of(), unreadable);
            assertEquals(written, loaded.size() + unreadable[0], "each file loaded or counted");
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(loaded.size() + locks, left.filter(p -> !p.getFileName().toString().startsWith(pid))
                        .count(), "what could not be read is removed, locks stay");
            }
            for (int i = 1; i < loaded.size(); i++) {
                assertTrue(!loaded.get(i).created().isBefore(loaded.get(i - 1).created()), "oldest first");
            }
        } finally {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
