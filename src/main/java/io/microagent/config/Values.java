package io.microagent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value types keys are made of. */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(us|ms|s|m|h|d)?");

    private Values() {
    }

    public static ValueType<Boolean> bool() {
        return type("true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        });
    }

    public static ValueType<Integer> integer(int min, int max) {
        return type("a whole number from " + min + " to " + max, text -> {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /** One of the given names, case-insensitively; {@code name} gives each constant's configuration text. */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type, Function<E, String> name) {
        return oneOf(type, name, name);
    }

    /** As {@link #oneOf(Class, Function)}, with {@code label} describing each value in error lines. */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type, Function<E, String> name,
            Function<E, String> label) {
        E[] constants = type.getEnumConstants();
        String accepted = String.join(", ", Arrays.stream(constants).map(label).toList());
        return type("one of " + accepted, text -> Arrays.stream(constants)
                .filter(c -> name.apply(c).equalsIgnoreCase(text)).findFirst()
                .orElseThrow(IllegalArgumentException::new));
    }

    /** A duration: a bare number counts in {@code bareUnit} (the micro agent's unit), or one with a unit. */
    public static ValueType<Duration> duration(ChronoUnit bareUnit, Duration min, Duration max) {
        return type("a duration from " + format(min) + " to " + format(max) + " (a bare number counts in "
                + unitName(bareUnit) + "; units us, ms, s, m, h, d)", text -> parseDuration(text, bareUnit, min, max));
    }

    /** Three durations separated by commas: the High, Medium and Low intervals. */
    public static ValueType<List<Duration>> durations3(ChronoUnit bareUnit, Duration min, Duration max) {
        return type("three durations High,Medium,Low, each from " + format(min) + " to " + format(max)
                + " (a bare number counts in " + unitName(bareUnit) + "; units us, ms, s, m, h, d)", text -> {
                    String[] parts = text.split(",", -1);
                    if (parts.length != 3) {
                        throw new IllegalArgumentException();
                    }
                    return Arrays.stream(parts).map(p -> parseDuration(p.trim(), bareUnit, min, max)).toList();
                });
    }

    /** A comma-separated list of non-empty items (surrounding spaces trimmed). */
    public static ValueType<List<String>> list() {
        return type("a comma-separated list", text -> {
            List<String> items = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (items.isEmpty()) {
                throw new IllegalArgumentException();
            }
            return items;
        });
    }

    /** A comma-separated list of absolute paths. */
    /** Regular expressions, each with a group that captures a secret; commas separate them (a comma in one: \x2C). */
    public static ValueType<List<java.util.regex.Pattern>> secretPatterns() {
        return type("a comma-separated list of regular expressions, each with a capturing group for the secret"
                + " (a comma inside one is written \\x2C)", text -> {
                    List<java.util.regex.Pattern> patterns = new java.util.ArrayList<>();
                    for (String item : text.split(",")) {
                        if (item.isBlank()) {
                            continue;
                        }
                        java.util.regex.Pattern p = java.util.regex.Pattern.compile(item.trim());
                        if (p.matcher("").groupCount() < 1) {
                            throw new IllegalArgumentException("no group in " + item);
                        }
                        patterns.add(p);
                    }
                    if (patterns.isEmpty()) {
                        throw new IllegalArgumentException();
                    }
                    return List.copyOf(patterns);
                });
    }

    public static ValueType<List<String>> absolutePaths() {
        ValueType<List<String>> list = list();
        return type("a comma-separated list of absolute paths", text -> {
            List<String> items = list.parse(text);
            if (!items.stream().allMatch(p -> p.startsWith("/"))) {
                throw new IllegalArgumentException();
            }
            return items;
        });
    }

    public static ValueType<String> text() {
        return type("a non-empty text", text -> {
            if (text.isEmpty()) {
                throw new IllegalArgumentException();
            }
            return text;
        });
    }

    public static ValueType<Path> absolutePath() {
        return type("an absolute path", text -> {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException();
            }
            return path.normalize();
        });
    }

    public static ValueType<Path> existingDirectory() {
        return type("an absolute path of an existing directory", text -> {
            Path path = absolutePath().parse(text);
            if (!Files.isDirectory(path)) {
                throw new IllegalArgumentException();
            }
            return path;
        });
    }

    public static ValueType<Path> readableFile() {
        return type("an absolute path of a readable file", text -> {
            Path path = absolutePath().parse(text);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException();
            }
            return path;
        });
    }

    /** A file the agent will create or append to: its directory must exist. */
    public static ValueType<Path> writableFile() {
        return type("an absolute path of a file in an existing directory", text -> {
            Path path = absolutePath().parse(text);
            Path parent = path.getParent();
            if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(path)) {
                throw new IllegalArgumentException();
            }
            return path;
        });
    }

    static String format(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static Duration parseDuration(String text, ChronoUnit bareUnit, Duration min, Duration max) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException();
        }
        long amount = Long.parseLong(m.group(1));
        ChronoUnit unit = m.group(2) == null ? bareUnit : switch (m.group(2)) {
            case "us" -> ChronoUnit.MICROS;
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        Duration d = Duration.of(amount, unit);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException();
        }
        return d;
    }

    private static String unitName(ChronoUnit unit) {
        return unit.toString().toLowerCase(Locale.ROOT);
    }

    private static <T> ValueType<T> type(String accepted, Function<String, T> parser) {
        return new ValueType<>() {
            @Override
            public T parse(String text) {
                try {
                    return parser.apply(text.trim());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(accepted, e);
                }
            }

            @Override
            public String accepted() {
                return accepted;
            }
        };
    }
}
