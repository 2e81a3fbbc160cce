package io.microagent.config;

/** Where a value came from, highest precedence first; {@code detail} names the property, variable or file. */
public record ConfigSource(Kind kind, String detail) {
    public enum Kind { AGENT_ARGUMENTS, SYSTEM_PROPERTY, ENVIRONMENT, TWIN, CONFIG_FILE, DEFAULT }

    public static final ConfigSource ARGUMENTS = new ConfigSource(Kind.AGENT_ARGUMENTS, "");
    public static final ConfigSource DEFAULT = new ConfigSource(Kind.DEFAULT, "");

    /** Set on the device itself (agent arguments, a system property, an environment variable): wins over the twin. */
    public boolean onTheDevice() {
        return kind == Kind.AGENT_ARGUMENTS || kind == Kind.SYSTEM_PROPERTY || kind == Kind.ENVIRONMENT;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AGENT_ARGUMENTS -> "agent arguments";
            case SYSTEM_PROPERTY -> "system property " + detail;
            case ENVIRONMENT -> "environment variable " + detail;
            case TWIN -> "device twin desired " + detail;
            case CONFIG_FILE -> "config file " + detail;
            case DEFAULT -> "default";
        };
    }
}
