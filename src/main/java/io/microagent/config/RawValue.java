package io.microagent.config;

/** A key's text as one source gave it, before parsing. */
public record RawValue(String key, String text, ConfigSource source) {
}
