package io.microagent.collect.operational;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.microagent.collect.Collector;
import io.microagent.config.ConfigProblem;
import io.microagent.event.SecurityEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the configuration problems found at start once, so they are seen in the cloud as well as on the
 * device's standard error.
 */
public final class ConfigurationErrors implements Collector {
    private final List<Problem> problems;
    private final AtomicBoolean sent = new AtomicBoolean();

    public ConfigurationErrors(List<ConfigProblem> problems) {
        this.problems = problems.stream()
                .map(p -> new Problem(p.key(), p.value(), p.source().toString(), p.problem() + "; " + p.outcome()))
                .toList();
    }

    @Override
    public List<SecurityEvent> flush(Instant now) {
        return collect(now);
    }

    @Override
    public String name() {
        return "ConfigurationError";
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        if (problems.isEmpty() || sent.getAndSet(true)) {
            return List.of();
        }
        return List.of(SecurityEvent.operational(name(), windowEnd, problems));
    }

    /** One payload: the key, the value given, where it came from, and what was wrong and done instead. */
    @JsonPropertyOrder({"Key", "Value", "Source", "Error"})
    public record Problem(@JsonProperty("Key") String key, @JsonProperty("Value") String value,
            @JsonProperty("Source") String source, @JsonProperty("Error") String error) {
    }
}
