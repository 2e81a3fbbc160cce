package io.microagent.collect.sbom;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The SBoM payload of ../shared/reference/message-schema.md: one installed package or library. */
@JsonPropertyOrder({"Name", "Version", "Vendor", "Type"})
public record SoftwarePackage(@JsonProperty("Name") String name, @JsonProperty("Version") String version,
        @JsonProperty("Vendor") String vendor, @JsonProperty("Type") String type) {
}
