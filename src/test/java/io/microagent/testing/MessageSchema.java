package io.microagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The output contract of ../shared/reference/message-schema.md as a checker: {@link #violations} lists every
 * way a message breaks it (empty when it conforms).
 */
public final class MessageSchema {
    public static final int MAX_BYTES = 256 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z");
    private static final Pattern LOCAL =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?([+-]\\d\\d:\\d\\d|Z)");
    private static final Set<String> ENVELOPE = Set.of("AgentVersion", "AgentId", "MessageSchemaVersion", "Events");
    private static final Set<String> EVENT = Set.of("EventType", "Category", "Name", "IsEmpty",
            "PayloadSchemaVersion", "Id", "TimestampLocal", "TimestampUTC", "Payload");
    private static final Map<String, String> CATEGORY = Map.ofEntries(
            Map.entry("ProcessCreate", "Aggregated"), Map.entry("ConnectionCreate", "Aggregated"),
            Map.entry("Login", "Triggered"), Map.entry("SystemInformation", "Periodic"),
            Map.entry("Baseline", "Periodic"), Map.entry("SBoM", "Periodic"), Map.entry("Heartbeat", "Periodic"),
            Map.entry("DroppedEventsStatistics", "Periodic"), Map.entry("ConfigurationError", "Periodic"),
            Map.entry("MessageStatistics", "Periodic"), Map.entry("RemoteConfiguration", "Periodic"));
    private static final Set<String> OPERATIONAL =
            Set.of("DroppedEventsStatistics", "ConfigurationError", "MessageStatistics", "RemoteConfiguration");

    /**
     * Field name to type: s string, n integer, b boolean, o object, a array; "?" marks it optional. ProcessCreate's
     * UserId is absent when the process was gone before /proc could be read (its CommandLine is then empty).
     */
    private static final Map<String, Map<String, String>> PAYLOADS = Map.ofEntries(
            Map.entry("ProcessCreate", Map.of("Timestamp", "t", "ProcessId", "n", "ParentProcessId", "n?",
                    "CommandLine", "s", "Executable", "s?", "UserId", "n?", "UserName", "s?", "Type", "s",
                    "HitCount", "n")),
            Map.entry("ConnectionCreate", Map.ofEntries(Map.entry("Timestamp", "t"), Map.entry("LocalAddress", "s"),
                    Map.entry("RemoteAddress", "s"), Map.entry("LocalPort", "n"), Map.entry("RemotePort", "n"),
                    Map.entry("Protocol", "s"), Map.entry("Direction", "s?"), Map.entry("BytesIn", "n?"),
                    Map.entry("BytesOut", "n?"), Map.entry("ApplicationProtocol", "s?"),
                    Map.entry("ExtendedProperties", "o?"), Map.entry("DnsHitCount", "n?"),
                    Map.entry("HitCount", "n"))),
            Map.entry("Login", Map.of("Timestamp", "t", "Operation", "s", "ProcessId", "n?", "UserName", "s?",
                    "Executable", "s?", "RemoteAddress", "s?", "Source", "s")),
            Map.entry("Baseline", Map.of("CheckId", "s", "Result", "s", "Error", "s?", "Description", "s?",
                    "Remediation", "s?", "Severity", "s?")),
            Map.entry("SBoM", Map.of("Name", "s", "Version", "s", "Vendor", "s?", "Type", "s")),
            Map.entry("SystemInformation", Map.ofEntries(Map.entry("HardwareVendor", "s?"),
                    Map.entry("HardwareModel", "s?"), Map.entry("HardwareSerialNumber", "s?"),
                    Map.entry("FirmwareVendor", "s?"), Map.entry("FirmwareVersion", "s?"), Map.entry("OsDist", "s?"),
                    Map.entry("OsVersion", "s?"), Map.entry("OsPlatform", "s?"), Map.entry("OsArch", "s?"),
                    Map.entry("HostName", "s?"), Map.entry("Nics", "a"))),
            Map.entry("DroppedEventsStatistics", Map.of("Collector", "s", "CollectedEvents", "n",
                    "DroppedEvents", "n")),
            Map.entry("ConfigurationError", Map.of("Key", "s", "Value", "s", "Source", "s", "Error", "s")),
            Map.entry("MessageStatistics", Map.of("Output", "s", "SentMessages", "n", "FailedAttempts", "n",
                    "DroppedMessages", "n", "PendingMessages", "n")),
            Map.entry("RemoteConfiguration", Map.of("DesiredVersion", "n?", "LatestState", "s",
                    "LatestInvalidFields", "a", "Pinned", "a", "Keys", "a")));

    private MessageSchema() {
    }

    public static JsonNode parse(byte[] message) {
        try {
            return MAPPER.readTree(message);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(message, StandardCharsets.UTF_8), e);
        }
    }

    public static List<String> violations(byte[] message) {
        List<String> v = new ArrayList<>();
        if (message.length > MAX_BYTES) {
            v.add("message has " + message.length + " bytes, over 256 KB");
        }
        JsonNode root = parse(message);
        exactFields(root, ENVELOPE, "envelope", v);
        string(root, "AgentVersion", v, "envelope");
        uuid(root, "AgentId", v, "envelope");
        equal(root, "MessageSchemaVersion", "1.0", v, "envelope");
        JsonNode events = root.get("Events");
        if (events == null || !events.isArray() || events.isEmpty()) {
            v.add("Events must be a non-empty array");
            return v;
        }
        for (JsonNode event : events) {
            event(event, v);
        }
        return v;
    }

    private static void event(JsonNode e, List<String> v) {
        String where = "event " + e.path("Name").asText("?");
        exactFields(e, EVENT, where, v);
        String name = e.path("Name").asText();
        if (!CATEGORY.containsKey(name)) {
            v.add(where + ": unknown Name");
        } else {
            equal(e, "Category", CATEGORY.get(name), v, where);
            equal(e, "EventType", OPERATIONAL.contains(name) ? "Operational" : "Security", v, where);
        }
        equal(e, "PayloadSchemaVersion", "1.0", v, where);
        uuid(e, "Id", v, where);
        matches(e, "TimestampUTC", UTC, v, where);
        matches(e, "TimestampLocal", LOCAL, v, where);
        JsonNode payload = e.get("Payload");
        if (payload == null || !payload.isArray()) {
            v.add(where + ": Payload must be an array");
            return;
        }
        if (!e.path("IsEmpty").isBoolean() || e.get("IsEmpty").asBoolean() != payload.isEmpty()) {
            v.add(where + ": IsEmpty must be a boolean, true exactly when Payload is []");
        }
        if (name.equals("Heartbeat") && !payload.isEmpty()) {
            v.add(where + ": Heartbeat payload must be []");
        }
        Map<String, String> fields = PAYLOADS.get(name);
        if (fields != null) {
            for (JsonNode item : payload) {
                payload(item, fields, where, v);
            }
        }
        if (name.equals("ProcessCreate")) {
            for (JsonNode item : payload) {
                if (!item.has("UserId") && !item.path("CommandLine").asText().isEmpty()) {
                    v.add(where + ": UserId may be left out only when the command line could not be read");
                }
            }
        }
        if (name.equals("ProcessCreate") || name.equals("ConnectionCreate")) {
            for (JsonNode item : payload) {
                if (item.path("HitCount").asLong() < 1) {
                    v.add(where + ": HitCount must be >= 1");
                }
            }
        }
    }

    private static void payload(JsonNode item, Map<String, String> fields, String where, List<String> v) {
        for (Iterator<String> names = item.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.containsKey(name)) {
                v.add(where + ": unexpected payload field " + name);
            }
        }
        fields.forEach((name, type) -> {
            JsonNode value = item.get(name);
            boolean optional = type.endsWith("?");
            if (value == null) {
                if (!optional) {
                    v.add(where + ": payload lacks " + name);
                }
                return;
            }
            boolean ok = switch (type.charAt(0)) {
                case 's' -> value.isTextual();
                case 'n' -> value.isIntegralNumber();
                case 'b' -> value.isBoolean();
                case 'o' -> value.isObject();
                case 't' -> value.isTextual() && UTC.matcher(value.asText()).matches();
                default -> value.isArray();
            };
            if (!ok) {
                v.add(where + ": payload field " + name + " has the wrong type or format: " + value);
            }
        });
    }

    private static void exactFields(JsonNode node, Set<String> expected, String where, List<String> v) {
        for (String f : expected) {
            if (!node.has(f)) {
                v.add(where + ": lacks " + f);
            } else if (node.get(f).isNull()) {
                v.add(where + ": " + f + " is null");
            }
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!expected.contains(f)) {
                v.add(where + ": unexpected field " + f);
            }
        });
    }

    private static void string(JsonNode node, String field, List<String> v, String where) {
        if (!node.path(field).isTextual() || node.path(field).asText().isEmpty()) {
            v.add(where + ": " + field + " must be a non-empty string");
        }
    }

    private static void uuid(JsonNode node, String field, List<String> v, String where) {
        try {
            UUID.fromString(node.path(field).asText());
        } catch (IllegalArgumentException e) {
            v.add(where + ": " + field + " must be a UUID: " + node.path(field));
        }
    }

    private static void equal(JsonNode node, String field, String expected, List<String> v, String where) {
        if (!expected.equals(node.path(field).asText(null))) {
            v.add(where + ": " + field + " must be " + expected + ", is " + node.path(field));
        }
    }

    private static void matches(JsonNode node, String field, Pattern p, List<String> v, String where) {
        if (!node.path(field).isTextual() || !p.matcher(node.path(field).asText()).matches()) {
            v.add(where + ": " + field + " has the wrong format: " + node.path(field));
        }
    }
}
