package io.microagent.config;

import io.microagent.json.Json;
import io.microagent.json.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON file named by {@code Config_File}: one flat object of keys. A micro agent twin's
 * {@code desired} section pasted in works: its {@code $version} and {@code $metadata} entries are skipped.
 */
final class ConfigFile {
    private static final long MAX_BYTES = 1 << 20;

    private ConfigFile() {
    }

    /** The file's values; a file that cannot be read or parsed yields none and one problem. */
    static List<RawValue> read(Path file, RawValue named, List<ConfigProblem> problems) {
        List<RawValue> values = new ArrayList<>();
        ConfigSource source = new ConfigSource(ConfigSource.Kind.CONFIG_FILE, file.toString());
        Object root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                problems.add(fileProblem(named, "is larger than 1 MiB"));
                return values;
            }
            root = Json.read(Files.readAllBytes(file));
        } catch (IOException e) {
            problems.add(fileProblem(named, "could not be read as JSON (" + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()) + ")"));
            return values;
        }
        if (!Tree.isObject(root)) {
            problems.add(fileProblem(named, "does not hold a JSON object"));
            return values;
        }
        for (Map.Entry<String, Object> field : Tree.object(root).entrySet()) {
            String key = field.getKey();
            Object node = field.getValue();
            if (key.startsWith("$") || node == null) {
                continue;
            }
            String text = text(node);
            if (text == null) {
                problems.add(new ConfigProblem(key, Json.text(node), source,
                        "is not accepted: a value must be a string, number, boolean or list of them", "ignored"));
            } else {
                values.add(new RawValue(key, text, source));
            }
        }
        return values;
    }

    /** A scalar's text, a list of scalars joined by commas; null for an object or a list holding null or more. */
    private static String text(Object node) {
        if (node instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                if (item == null || Tree.isContainer(item)) {
                    return null;
                }
                items.add(Tree.asText(item));
            }
            return String.join(",", items);
        }
        return Tree.isContainer(node) ? null : Tree.asText(node);
    }

    private static ConfigProblem fileProblem(RawValue named, String problem) {
        return new ConfigProblem(named.key(), named.text(), named.source(), problem, "none of its keys are used");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
