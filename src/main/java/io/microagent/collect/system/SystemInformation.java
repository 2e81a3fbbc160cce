package io.microagent.collect.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The SystemInformation payload of ../shared/reference/message-schema.md. Unknown values are left out. */
@JsonPropertyOrder({"HardwareVendor", "HardwareModel", "HardwareSerialNumber", "FirmwareVendor", "FirmwareVersion",
        "OsDist", "OsVersion", "OsPlatform", "OsArch", "HostName", "Nics"})
public record SystemInformation(@JsonProperty("HardwareVendor") String hardwareVendor,
        @JsonProperty("HardwareModel") String hardwareModel,
        @JsonProperty("HardwareSerialNumber") String hardwareSerialNumber,
        @JsonProperty("FirmwareVendor") String firmwareVendor,
        @JsonProperty("FirmwareVersion") String firmwareVersion, @JsonProperty("OsDist") String osDist,
        @JsonProperty("OsVersion") String osVersion, @JsonProperty("OsPlatform") String osPlatform,
        @JsonProperty("OsArch") String osArch, @JsonProperty("HostName") String hostName,
        @JsonProperty("Nics") List<Nic> nics) {

    /** A network interface. {@code Info} holds one entry per address, each with the interface's MAC. */
    @JsonPropertyOrder({"Name", "Type", "Vlans", "Vendor", "Info"})
    public record Nic(@JsonProperty("Name") String name, @JsonProperty("Type") String type,
            @JsonProperty("Vlans") List<Integer> vlans, @JsonProperty("Vendor") String vendor,
            @JsonProperty("Info") List<NicInfo> info) {
    }

    @JsonPropertyOrder({"Ipv4Address", "Ipv6Address", "Mac"})
    public record NicInfo(@JsonProperty("Ipv4Address") String ipv4Address,
            @JsonProperty("Ipv6Address") String ipv6Address, @JsonProperty("Mac") String mac) {
    }
}
