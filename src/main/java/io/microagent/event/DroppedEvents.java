package io.microagent.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A {@code DroppedEventsStatistics} payload: one collector's counts. */
@JsonPropertyOrder({"Collector", "CollectedEvents", "DroppedEvents"})
public record DroppedEvents(@JsonProperty("Collector") String collector,
        @JsonProperty("CollectedEvents") long collectedEvents, @JsonProperty("DroppedEvents") long droppedEvents) {
}
