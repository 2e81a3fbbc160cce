package io.microagent.ship;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One output's message counts: also the payload of a {@code MessageStatistics} event. */
@JsonPropertyOrder({"Output", "SentMessages", "FailedAttempts", "DroppedMessages", "PendingMessages"})
public record OutputStatistics(@JsonProperty("Output") String output, @JsonProperty("SentMessages") long sent,
        @JsonProperty("FailedAttempts") long failed, @JsonProperty("DroppedMessages") long dropped,
        @JsonProperty("PendingMessages") long pending) {

    /** What happened since {@code earlier}; pending stays as it is now. */
    public OutputStatistics since(OutputStatistics earlier) {
        return earlier == null ? this
                : new OutputStatistics(output, sent - earlier.sent, failed - earlier.failed,
                        dropped - earlier.dropped, pending);
    }
}
