package io.microagent.config;

/** Where a value came from, highest precedence first; {@code detail} names the property, variable or file. */
public record ConfigSource(Kind kind, String detail) {
    public enum Kind { AGENT_ARGUMENTS, SYSTEM_PROPERTY, ENVIRONMENT, CONFIG_FILE, DEFAULT }

    public static final ConfigSource ARGUMENTS = new ConfigSource(Kind.AGENT_ARGUMENTS, "");
    public static final ConfigSource DEFAULT = new ConfigSource(Kind.DEFAULT, "");

    @Override
    public String toString() {
        return switch (kind) {
            case AGENT_ARGUMENTS -> "agent arguments";
            case SYSTEM_PROPERTY -> "system property " + detail;
            case ENVIRONMENT -> "environment variable " + detail;
            case CONFIG_FILE -> "config file " + detail;
            case DEFAULT -> "default";
        };
    }
}
