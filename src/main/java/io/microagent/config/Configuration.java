package io.microagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's settled configuration: one value per key from the highest source that gave an accepted value,
 * else the default; and the problems met on the way, each to be reported once.
 */
public final class Configuration {
    private static final String PROPERTY_PREFIX = "microagent.";
    private static final String ENV_PREFIX = "MICROAGENT_";

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, ConfigSource> sources;
    private final List<ConfigProblem> problems;
    private final List<String> warnings;
    /** The device's own sources as parsed (agent arguments, system properties, environment), for {@link #withTwin}. */
    private final List<List<RawValue>> deviceLayers;

    private Configuration(Map<Setting<?>, Object> values, Map<Setting<?>, ConfigSource> sources,
            List<ConfigProblem> problems, List<String> warnings, List<List<RawValue>> deviceLayers) {
        this.deviceLayers = deviceLayers;
        this.values = values;
        this.sources = sources;
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public static Configuration defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * This configuration's device sources (as parsed at start: an attach's arguments file is gone by now) with the
     * device twin's values (already checked by {@link RemoteSection}) between the environment and the
     * {@code Config_File}: the person on the device has the last word.
     */
    public Configuration withTwin(List<RawValue> twin) {
        return resolve(deviceLayers, twin, new ArrayList<>(), new ArrayList<>());
    }

    /**
     * Reads the five sources in precedence order: agent arguments, {@code -Dmicroagent.KEY}, {@code MICROAGENT_KEY},
     * the {@code Config_File}, defaults.
     */
    public static Configuration load(String agentArguments, Map<String, String> systemProperties,
            Map<String, String> environment) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<List<RawValue>> layers = new ArrayList<>();
        layers.add(AgentArguments.parse(agentArguments, problems));
        layers.add(prefixed(systemProperties, PROPERTY_PREFIX, ConfigSource.Kind.SYSTEM_PROPERTY));
        layers.add(prefixed(environment, ENV_PREFIX, ConfigSource.Kind.ENVIRONMENT));
        return resolve(List.copyOf(layers), List.of(), problems, warnings);
    }

    private static Configuration resolve(List<List<RawValue>> deviceLayers, List<RawValue> twin,
            List<ConfigProblem> problems, List<String> warnings) {
        List<List<RawValue>> layers = new ArrayList<>(deviceLayers);
        layers.add(twin);
        Map<String, RawValue> winners = new LinkedHashMap<>();
        for (List<RawValue> layer : layers) {
            for (RawValue raw : layer) {
                winners.putIfAbsent(raw.key(), raw);
            }
        }
        RawValue configFile = winners.get(Settings.CONFIG_FILE.key());
        if (configFile != null) {
            try {
                for (RawValue raw : ConfigFile.read(Settings.CONFIG_FILE.type().parse(configFile.text()), configFile,
                        problems)) {
                    if (raw.key().equals(Settings.CONFIG_FILE.key())) {
                        warnings.add("configuration: " + raw.key() + " inside " + raw.source()
                                + " is ignored: a config file cannot name another");
                    } else {
                        winners.putIfAbsent(raw.key(), raw);
                    }
                }
            } catch (IllegalArgumentException e) {
                // Reported below, when Config_File itself is parsed.
            }
        }

        Map<Setting<?>, Object> values = new HashMap<>();
        Map<Setting<?>, ConfigSource> sources = new HashMap<>();
        for (RawValue raw : winners.values()) {
            Setting<?> setting = Settings.byKey(raw.key());
            if (setting == null) {
                if (Settings.UNSUPPORTED_MICRO_AGENT_KEYS.contains(raw.key())) {
                    warnings.add("configuration: " + raw.key() + " (" + raw.source()
                            + ") belongs to a micro agent collector this agent does not have; ignored");
                } else {
                    problems.add(new ConfigProblem(raw.key(), raw.text(), raw.source(),
                            "is not a known key (did you mean " + ClosestKey.to(raw.key(), keys()) + "?)",
                            "ignored"));
                }
                continue;
            }
            try {
                values.put(setting, setting.type().parse(raw.text()));
                sources.put(setting, raw.source());
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(raw.key(), raw.text(), raw.source(),
                        "is not accepted: expected " + setting.type().accepted(),
                        setting.defaultText() == null ? "left unset" : "using the default " + setting.defaultText()));
            }
        }
        for (Setting<?> setting : Settings.all()) {
            if (!values.containsKey(setting) && setting.defaultText() != null) {
                values.put(setting, setting.defaultValue());
                sources.put(setting, ConfigSource.DEFAULT);
            }
        }
        return new Configuration(values, sources, problems, warnings, deviceLayers);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** Where the value in force came from; {@code null} for a key that is unset. */
    public ConfigSource source(Setting<?> setting) {
        return sources.get(setting);
    }

    /** The values in force as text, by key, for comparing two configurations and for reports. */
    public Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.all()) {
            Object value = values.get(setting);
            if (value != null) {
                texts.put(setting.key(), String.valueOf(value));
            }
        }
        return texts;
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Notes that are not errors (micro agent keys this agent does not implement, ...). */
    public List<String> warnings() {
        return warnings;
    }

    private static List<RawValue> prefixed(Map<String, String> map, String prefix, ConfigSource.Kind kind) {
        List<RawValue> values = new ArrayList<>();
        map.forEach((name, text) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                values.add(new RawValue(name.substring(prefix.length()), text, new ConfigSource(kind, name)));
            }
        });
        return values;
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        Settings.all().forEach(s -> keys.add(s.key()));
        return Collections.unmodifiableList(keys);
    }
}
