package io.microagent.config;

import io.microagent.json.Json;
import io.microagent.json.Tree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's keys from the device twin's desired properties ({@value #NAME}: the same names, values and units as
 * everywhere else, lists as JSON arrays), checked as at start. A value that is not accepted leaves its key as it
 * was; a key the person on the device set stays theirs (pinned).
 *
 * @param version  the desired properties' {@code $version} the section came with
 * @param accepted the values to use, by key, as text
 * @param invalid  what was refused, and why
 * @param pinned   keys in the section that agent arguments, a system property or the environment set
 */
public record RemoteSection(long version, Map<String, String> accepted, List<Invalid> invalid, List<String> pinned) {
    public static final String NAME = "iotMicroAgent";

    /** A refused field: its key, the value given, and why. */
    public record Invalid(String key, String value, String reason) {
    }

    /**
     * Keys that decide where the agent writes and reads, which client it uses, or whether secrets are redacted: set
     * on the device only, never by the cloud.
     */
    static final Set<String> DEVICE_ONLY = Set.of(Settings.CONFIG_FILE.key(), Settings.STATE_DIRECTORY.key(),
            Settings.HOST_ROOT.key(), Settings.OUTPUT_FILE.key(), Settings.OUTPUT_STDOUT.key(),
            Settings.OUTPUT_IOTHUB.key(), Settings.OUTPUT_IOTHUB_DEVICE.key(), Settings.REMOTE_CONFIGURATION.key(),
            Settings.AUTH_LOG_PATHS.key(), Settings.PROCESS_REDACT_SECRETS.key(), Settings.LOG_LEVEL.key(),
            Settings.MESSAGE_TIMEOUT.key());

    /**
     * @param section  the {@value #NAME} object (null or not an object: no remote keys)
     * @param previous what the section gave before, kept for a key whose new value is refused
     * @param device   the configuration from the device's own sources, to tell pinned keys
     */
    public static RemoteSection check(Object section, long version, Map<String, String> previous,
            Configuration device) {
        Map<String, String> accepted = new LinkedHashMap<>();
        List<Invalid> invalid = new ArrayList<>();
        List<String> pinned = new ArrayList<>();
        for (Map.Entry<String, Object> field : Tree.object(section).entrySet()) {
            String key = field.getKey();
            Object node = field.getValue();
            if (key.startsWith("$") || node == null) {
                continue; // the twin's own metadata; a deleted key
            }
            String text = text(node);
            Setting<?> setting = Settings.byKey(key);
            String reason = null;
            if (setting == null) {
                reason = Settings.UNSUPPORTED_MICRO_AGENT_KEYS.contains(key)
                        ? "belongs to a micro agent collector this agent does not have"
                        : "is not a known key (did you mean " + ClosestKey.to(key, keys()) + "?)";
            } else if (DEVICE_ONLY.contains(key)) {
                reason = "is set on the device only";
            } else if (text == null) {
                reason = "must be a value or a list of values, not an object";
            } else {
                try {
                    setting.type().parse(text);
                } catch (IllegalArgumentException e) {
                    reason = "is not accepted: expected " + setting.type().accepted();
                }
            }
            if (reason != null) {
                invalid.add(new Invalid(key, text == null ? Json.text(node) : text, reason));
                if (setting != null && previous.containsKey(key) && !DEVICE_ONLY.contains(key)) {
                    accepted.put(key, previous.get(key)); // as it was
                }
                continue;
            }
            accepted.put(key, text);
            ConfigSource source = device.source(setting);
            if (source != null && source.onTheDevice()) {
                pinned.add(key);
            }
        }
        return new RemoteSection(version, accepted, invalid, pinned);
    }

    /** The accepted values as the configuration's twin layer. */
    public List<RawValue> values() {
        ConfigSource source = new ConfigSource(ConfigSource.Kind.TWIN, NAME + " ($version " + version + ")");
        return accepted.entrySet().stream().map(e -> new RawValue(e.getKey(), e.getValue(), source)).toList();
    }

    /** A scalar as its text, an array as its elements' texts joined by commas, an object as null. */
    private static String text(Object node) {
        if (node instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                if (Tree.isContainer(item)) {
                    return null;
                }
                items.add(Tree.asText(item));
            }
            return String.join(",", items);
        }
        return Tree.isContainer(node) ? null : Tree.asText(node);
    }

    private static List<String> keys() {
        return Settings.all().stream().map(Setting::key).toList();
    }
}
