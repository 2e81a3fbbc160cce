package io.microagent.collect.baseline;

/** One recommendation of a benchmark: its section number, one-word group, what it verifies and how to fix it. */
public record Check(String id, String section, String group, String description, String remediation,
        String severity, Rule rule) {
}
