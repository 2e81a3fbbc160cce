package io.microagent.ship;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.microagent.json.RawJson;
import java.util.List;

/** A security message: the envelope around events already written as JSON. */
@JsonPropertyOrder({"AgentVersion", "AgentId", "MessageSchemaVersion", "Events"})
record Envelope(@JsonProperty("AgentVersion") String agentVersion, @JsonProperty("AgentId") String agentId,
        @JsonProperty("MessageSchemaVersion") String messageSchemaVersion,
        @JsonProperty("Events") List<RawJson> events) {
}
