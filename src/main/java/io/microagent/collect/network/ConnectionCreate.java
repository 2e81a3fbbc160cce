package io.microagent.collect.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.microagent.aggregate.Aggregate;
import io.microagent.event.Timestamps;
import java.util.Map;

/** The ConnectionCreate payload of ../shared/reference/message-schema.md. */
@JsonPropertyOrder({"Timestamp", "LocalAddress", "RemoteAddress", "LocalPort", "RemotePort", "Protocol", "Direction",
        "BytesIn", "BytesOut", "ApplicationProtocol", "ExtendedProperties", "DnsHitCount", "HitCount"})
public record ConnectionCreate(@JsonProperty("Timestamp") String timestamp,
        @JsonProperty("LocalAddress") String localAddress, @JsonProperty("RemoteAddress") String remoteAddress,
        @JsonProperty("LocalPort") int localPort, @JsonProperty("RemotePort") int remotePort,
        @JsonProperty("Protocol") String protocol, @JsonProperty("Direction") String direction,
        @JsonProperty("BytesIn") Long bytesIn, @JsonProperty("BytesOut") Long bytesOut,
        @JsonProperty("ApplicationProtocol") String applicationProtocol,
        @JsonProperty("ExtendedProperties") Map<String, String> extendedProperties,
        @JsonProperty("DnsHitCount") Long dnsHitCount, @JsonProperty("HitCount") long hitCount) {

    static final int BYTES_IN = 0;
    static final int BYTES_OUT = 1;

    /** A window's entry: its first sighting, the connections counted and the bytes moved in the window. */
    public static ConnectionCreate of(Aggregate<Connection> aggregate) {
        Connection c = aggregate.first();
        String application = ApplicationProtocols.of(c.protocol(), c.servicePort());
        return new ConnectionCreate(Timestamps.utc(c.time()), c.localAddress(), c.remoteAddress(), c.localPort(),
                c.remotePort(), c.protocol(), c.inbound() ? "In" : "Out",
                c.bytesKnown() ? aggregate.sum(BYTES_IN) : null, c.bytesKnown() ? aggregate.sum(BYTES_OUT) : null,
                application, Map.of("UserId", Integer.toString(c.uid())),
                "DNS".equals(application) ? aggregate.hitCount() : null, aggregate.hitCount());
    }
}
