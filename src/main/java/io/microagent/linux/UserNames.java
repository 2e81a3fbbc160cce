package io.microagent.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * User names for uids, from the host's {@code /etc/passwd} (under the host root), read again when the file
 * changes, looked at no more than once a second. A uid it does not list has no name: never a guess.
 */
public final class UserNames {
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path passwd;
    private Map<Integer, String> names = Map.of();
    private FileTime readAt;
    private long checkedAt = Long.MIN_VALUE;
    private long malformedLines;

    public UserNames(HostPaths host) {
        this.passwd = host.resolve("/etc/passwd");
    }

    /** The name for {@code uid}, or {@code null}. */
    public synchronized String nameOf(int uid) {
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS || checkedAt == Long.MIN_VALUE) {
            checkedAt = now;
            reloadIfChanged();
        }
        return names.get(uid);
    }

    /** Lines of passwd that were not {@code name:x:uid:...} and were skipped. */
    public synchronized long malformedLines() {
        return malformedLines;
    }

    private void reloadIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(passwd);
            if (!modified.equals(readAt)) {
                Map<Integer, String> parsed = new HashMap<>();
                malformedLines = parse(Files.readString(passwd, StandardCharsets.UTF_8), parsed);
                names = parsed;
                readAt = modified;
            }
        } catch (IOException | RuntimeException e) {
            names = Map.of();
            readAt = null;
        }
    }

    /** Fills {@code names} from passwd text (the first entry of a uid wins); returns the malformed lines. */
    public static long parse(String text, Map<Integer, String> names) {
        long malformed = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(":", -1);
            try {
                if (fields.length < 7 || fields[0].isEmpty()) {
                    throw new NumberFormatException();
                }
                names.putIfAbsent(Integer.parseUnsignedInt(fields[2]), fields[0]);
            } catch (NumberFormatException e) {
                malformed++;
            }
        }
        return malformed;
    }
}
