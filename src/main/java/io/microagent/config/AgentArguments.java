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
    /** The prefix of the arguments file {@code attach} writes in the temporary directory. */
    public static final String ARGUMENTS_FILE_PREFIX = "iot-micro-agent-args-";
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
        Path file;
        try {
            file = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) { // found by fuzzing: a NUL in @FILE stopped the whole agent
            problems.add(new ConfigProblem("(arguments file)", path, ConfigSource.ARGUMENTS,
                    "is not a file name (" + e.getReason() + ")", "no agent arguments are used"));
            return "";
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            problems.add(new ConfigProblem("(arguments file)", path, ConfigSource.ARGUMENTS,
                    "could not be read (" + e.getMessage() + ")", "no agent arguments are used"));
            return "";
        } finally {
            if (writtenByAttach(file)) {
                file.toFile().delete();
            }
        }
    }

    /**
     * Only the file the attach command wrote is deleted after reading: a temporary file named as it names them.
     * Any other {@code @FILE} (a device's own arguments file, or a mistyped path) is read and left alone.
     */
    static boolean writtenByAttach(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().startsWith(ARGUMENTS_FILE_PREFIX) && name.toString().endsWith(".txt")
                && file.toAbsolutePath().getParent() != null && file.toAbsolutePath().getParent()
                        .equals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
    }

    /** Keys are identifiers; this keeps a value such as {@code a=b} inside a list from starting a new pair. */
    private static boolean looksLikeKey(String text) {
        return text.trim().matches("[A-Za-z][A-Za-z0-9_]*");
    }
}
