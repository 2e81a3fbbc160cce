package io.microagent.ship;

import io.microagent.event.DropLedger;
import io.microagent.event.LocalZone;
import io.microagent.event.SecurityEvent;
import io.microagent.event.Timestamps;
import io.microagent.json.Json;
import io.microagent.json.RawJson;
import io.microagent.linux.RandomUuid;
import io.microagent.log.AgentLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the events due at a window close into as few security messages as possible, none larger than the
 * limit. An event too large for one message is split by payload (each part a whole event with its own Id); a
 * single payload larger than a message is dropped and counted.
 */
public final class MessageBuilder {
    /** IoT Hub refuses device-to-cloud messages over 256 KB, properties included: keep 1 KB for those. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024 - 1024;
    static final String SCHEMA_VERSION = "1.0";

    private final String agentVersion;
    private final String agentId;
    private final LocalZone zone;
    private final int maxBytes;
    private final int envelopeBytes;
    private final DropLedger drops;
    private final AgentLog log;

    public MessageBuilder(String agentVersion, String agentId, LocalZone zone, int maxBytes, DropLedger drops,
            AgentLog log) {
        this.agentVersion = agentVersion;
        this.agentId = agentId;
        this.zone = zone;
        this.maxBytes = maxBytes;
        this.drops = drops;
        this.log = log;
        this.envelopeBytes = Json.write(envelope(List.of())).length;
    }

    public List<byte[]> build(List<SecurityEvent> events) {
        List<byte[]> written = new ArrayList<>();
        for (SecurityEvent event : events) {
            write(event, written);
        }
        List<byte[]> messages = new ArrayList<>();
        List<RawJson> batch = new ArrayList<>();
        int size = envelopeBytes;
        for (byte[] event : written) {
            int added = event.length + (batch.isEmpty() ? 0 : 1);
            if (size + added > maxBytes) {
                messages.add(Json.write(envelope(batch)));
                batch = new ArrayList<>();
                size = envelopeBytes;
                added = event.length;
            }
            batch.add(new RawJson(new String(event, StandardCharsets.UTF_8)));
            size += added;
        }
        if (!batch.isEmpty()) {
            messages.add(Json.write(envelope(batch)));
        }
        return messages;
    }

    private void write(SecurityEvent event, List<byte[]> out) {
        byte[] json = Json.write(wire(event));
        if (envelopeBytes + json.length <= maxBytes) {
            out.add(json);
        } else if (event.payload().size() > 1) {
            int half = event.payload().size() / 2;
            write(event.withPayload(event.payload().subList(0, half)), out);
            write(event.withPayload(event.payload().subList(half, event.payload().size())), out);
        } else {
            drops.record(event.name(), 0, 1);
            log.warning(event.name() + " event of " + json.length + " bytes does not fit in a message of "
                    + maxBytes + " bytes: dropped and counted");
        }
    }

    private WireEvent wire(SecurityEvent e) {
        return new WireEvent(e.type().text(), e.category().text(), e.name(), e.payload().isEmpty(), SCHEMA_VERSION,
                RandomUuid.next().toString(), Timestamps.local(e.time(), zone), Timestamps.utc(e.time()),
                e.payload());
    }

    private Envelope envelope(List<RawJson> events) {
        return new Envelope(agentVersion, agentId, SCHEMA_VERSION, events);
    }
}
