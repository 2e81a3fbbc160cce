package io.microagent.config;

/**
 * One configuration key: its exact name, its default (as text, {@code null} when unset), its type, and what
 * the agent does when the key's value is not accepted.
 */
public record Setting<T>(String key, String defaultText, ValueType<T> type, String meaning) {

    /** The default, parsed; {@code null} for a key that is unset by default. */
    public T defaultValue() {
        return defaultText == null ? null : type.parse(defaultText);
    }
}
