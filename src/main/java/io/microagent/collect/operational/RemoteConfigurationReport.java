package io.microagent.collect.operational;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.microagent.collect.Collector;
import io.microagent.event.SecurityEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the device made of the configuration in its twin ({@code RemoteConfiguration}, operational): sent with the
 * next High window after each change, and in every Low window. The security messages carry it, not the twin's
 * reported properties, which are the application's.
 */
public final class RemoteConfigurationReport {
    private volatile State state;
    private final AtomicBoolean changed = new AtomicBoolean();
    private volatile Instant lastSent;

    /** One payload. */
    @JsonPropertyOrder({"DesiredVersion", "LatestState", "LatestInvalidFields", "Pinned", "Keys"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(@JsonProperty("DesiredVersion") Long desiredVersion,
            @JsonProperty("LatestState") String latestState,
            @JsonProperty("LatestInvalidFields") List<Field> latestInvalidFields,
            @JsonProperty("Pinned") List<String> pinned,
            @JsonProperty("Keys") List<Key> keys) {
    }

    /** A field of the twin's section that was refused, and why. */
    @JsonPropertyOrder({"Key", "Value", "Reason"})
    public record Field(@JsonProperty("Key") String key, @JsonProperty("Value") String value,
            @JsonProperty("Reason") String reason) {
    }

    /** A key in force that is not at its default, and where its value came from. */
    @JsonPropertyOrder({"Key", "Value", "Source"})
    public record Key(@JsonProperty("Key") String key, @JsonProperty("Value") String value,
            @JsonProperty("Source") String source) {
    }

    public void update(State next) {
        state = next;
        changed.set(true);
    }

    /** For the High group: only after a change. */
    public Collector onChange() {
        return new View(true);
    }

    /** For the Low group: every window. */
    public Collector always() {
        return new View(false);
    }

    private final class View implements Collector {
        private final boolean onlyChanges;

        View(boolean onlyChanges) {
            this.onlyChanges = onlyChanges;
        }

        @Override
        public String name() {
            return "RemoteConfiguration";
        }

        @Override
        public List<SecurityEvent> collect(Instant windowEnd) {
            State s = state;
            if (s == null || (onlyChanges && !changed.get()) || windowEnd.equals(lastSent)) {
                return List.of(); // nothing applied yet, nothing new, or sent in this close already
            }
            changed.set(false);
            lastSent = windowEnd;
            return List.of(SecurityEvent.operational(name(), windowEnd, List.of(s)));
        }
    }
}
