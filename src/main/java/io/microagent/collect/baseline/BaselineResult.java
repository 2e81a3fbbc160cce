package io.microagent.collect.baseline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The Baseline payload of ../shared/reference/message-schema.md: a check that failed or could not be decided. */
@JsonPropertyOrder({"CheckId", "Result", "Error", "Description", "Remediation", "Severity"})
public record BaselineResult(@JsonProperty("CheckId") String checkId, @JsonProperty("Result") String result,
        @JsonProperty("Error") String error, @JsonProperty("Description") String description,
        @JsonProperty("Remediation") String remediation, @JsonProperty("Severity") String severity) {
}
