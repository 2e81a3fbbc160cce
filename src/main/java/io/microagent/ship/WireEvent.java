package io.microagent.ship;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** An event as the schema writes it (../shared/reference/message-schema.md, "Event"). */
@JsonPropertyOrder({"EventType", "Category", "Name", "IsEmpty", "PayloadSchemaVersion", "Id", "TimestampLocal",
        "TimestampUTC", "Payload"})
record WireEvent(@JsonProperty("EventType") String eventType, @JsonProperty("Category") String category,
        @JsonProperty("Name") String name, @JsonProperty("IsEmpty") boolean isEmpty,
        @JsonProperty("PayloadSchemaVersion") String payloadSchemaVersion, @JsonProperty("Id") String id,
        @JsonProperty("TimestampLocal") String timestampLocal, @JsonProperty("TimestampUTC") String timestampUtc,
        @JsonProperty("Payload") List<?> payload) {
}
