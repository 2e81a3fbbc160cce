package io.microagent.config;

/**
 * A configuration value the agent could not use. {@link #line()} is the one line printed on standard error;
 * {@code outcome} says what the agent does instead ("using the default 256", "ignored").
 */
public record ConfigProblem(String key, String value, ConfigSource source, String problem, String outcome) {

    public String line() {
        return "configuration: " + key + "=" + value + " (" + source + ") " + problem + "; " + outcome;
    }
}
