package io.microagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code KEY=VALUE,KEY=VALUE}. A segment without {@code =} continues the value before it, so
 * {@code CollectorsCore_PriorityIntervals=10s,30s,1m,Process_CacheSize=512} is two keys.
 */
public final class AgentArguments {
    private AgentArguments() {
    }

    /** The pairs in order; problems (a leading segment that is no pair, an empty key) go to {@code problems}. */
    public static List<RawValue> parse(String arguments, List<ConfigProblem> problems) {
        List<RawValue> pairs = new ArrayList<>();
        if (arguments != null && arguments.startsWith("@")) {
            arguments = fromFile(arguments.substring(1), problems);
        }
        if (arguments == null || arguments.isBlank()) {
            return pairs;
        }
        String key = null;
        StringBuilder value = null;
        for (String segment : arguments.split(",", -1)) {
            int eq = segment.indexOf('=');
            if (eq > 0 && looksLikeKey(segment.substring(0, eq))) {
                if (key != null) {
                    pairs.add(new RawValue(key, value.toString().trim(), ConfigSource.ARGUMENTS));
                }
                key = segment.substring(0, eq).trim();
                value = new StringBuilder(segment.substring(eq + 1));
            } else if (key != null) {
                value.append(',').append(segment);
            } else if (!segment.isBlank()) {
                problems.add(new ConfigProblem("(none)", segment, ConfigSource.ARGUMENTS,
                        "is not KEY=VALUE", "ignored"));
            }
        }
        if (key != null) {
            pairs.add(new RawValue(key, value.toString().trim(), ConfigSource.ARGUMENTS));
        }
        return pairs;
    }

    /**
     * The attach command passes its arguments as {@code @FILE} (a file only its user can read): read, then
     * deleted, as nobody else needs it.
     */
    private static String fromFile(String path, List<ConfigProblem> problems) {
        Path file = Path.of(path);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            problems.add(new ConfigProblem("(arguments file)", path, ConfigSource.ARGUMENTS,
                    "could not be read (" + e.getMessage() + ")", "no agent arguments are used"));
            return "";
        } finally {
            file.toFile().delete();
        }
    }

    /** Keys are identifiers; this keeps a value such as {@code a=b} inside a list from starting a new pair. */
    private static boolean looksLikeKey(String text) {
        return text.trim().matches("[A-Za-z][A-Za-z0-9_]*");
    }
}
