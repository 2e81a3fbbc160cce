package io.microagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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
        JsonNode root;
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
        if (root == null || !root.isObject()) {
            problems.add(fileProblem(named, "does not hold a JSON object"));
            return values;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode node = field.getValue();
            if (key.startsWith("$") || node.isNull()) {
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

    private static String text(JsonNode node) {
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isValueNode() || item.isNull()) {
                    return null;
                }
                items.add(item.asText());
            }
            return String.join(",", items);
        }
        return null;
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
