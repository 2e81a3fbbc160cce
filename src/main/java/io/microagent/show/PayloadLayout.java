package io.microagent.show;

import io.microagent.json.Json;
import io.microagent.json.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How one event kind's payload reads as a line: its cells, each from the schema's field names (never from a
 * collector's classes). A kind this table does not know reads as {@code Field=value} pairs, so every event the
 * agent has or will have can be shown.
 */
final class PayloadLayout {
    /** One cell: its width (0 = as long as it is; the last cell takes what is left of the line) and its text. */
    record Cell(int width, Function<Object, String> text) {
    }

    private static final Map<String, List<Cell>> KINDS = Map.of(
            "ProcessCreate", List.of(
                    cell(4, p -> text(p, "Type")),
                    cell(12, p -> user(p)),
                    cell(12, p -> "pid " + text(p, "ProcessId")),
                    cell(12, p -> has(p, "ParentProcessId") ? "ppid " + text(p, "ParentProcessId") : ""),
                    cell(0, p -> text(p, "CommandLine").isEmpty() ? "(command line not read)"
                            : text(p, "CommandLine"))),
            "ConnectionCreate", List.of(
                    cell(4, p -> text(p, "Protocol")),
                    cell(3, p -> text(p, "Direction")),
                    cell(21, p -> endpoint(p, "LocalAddress", "LocalPort")),
                    cell(1, p -> ">"),
                    cell(21, p -> endpoint(p, "RemoteAddress", "RemotePort")),
                    cell(5, p -> text(p, "ApplicationProtocol")),
                    cell(0, p -> "in " + text(p, "BytesIn") + " out " + text(p, "BytesOut"))),
            "Login", List.of(
                    cell(11, p -> text(p, "Operation")),
                    cell(12, p -> text(p, "UserName")),
                    cell(8, p -> text(p, "Executable")),
                    cell(22, p -> "from " + text(p, "RemoteAddress")),
                    cell(0, p -> (has(p, "ProcessId") ? "pid " + text(p, "ProcessId") + ", " : "") + "read from "
                            + text(p, "Source"))),
            "Baseline", List.of(
                    cell(5, p -> text(p, "Result")),
                    cell(13, p -> text(p, "Severity")),
                    cell(34, p -> text(p, "CheckId")),
                    cell(0, p -> text(p, "Description") + (has(p, "Error") ? " (error: " + text(p, "Error") + ")"
                            : ""))),
            "SBoM", List.of(
                    cell(5, p -> text(p, "Type")),
                    cell(32, p -> text(p, "Name")),
                    cell(24, p -> text(p, "Version")),
                    cell(0, p -> text(p, "Vendor"))),
            "DroppedEventsStatistics", List.of(
                    cell(0, p -> text(p, "Collector") + ": collected " + text(p, "CollectedEvents") + ", dropped "
                            + text(p, "DroppedEvents"))),
            "ConfigurationError", List.of(
                    cell(0, p -> text(p, "Key") + "=" + text(p, "Value") + " (from " + text(p, "Source") + "): "
                            + text(p, "Error"))),
            "MessageStatistics", List.of(
                    cell(0, p -> text(p, "Output") + ": sent " + text(p, "SentMessages") + ", failed attempts "
                            + text(p, "FailedAttempts") + ", dropped " + text(p, "DroppedMessages") + ", waiting "
                            + text(p, "PendingMessages"))),
            "SystemInformation", List.of(
                    cell(0, PayloadLayout::systemSummary)));

    private static final List<Cell> GENERIC = List.of(cell(0, PayloadLayout::pairs));

    private PayloadLayout() {
    }

    static List<Cell> of(String eventName) {
        return KINDS.getOrDefault(eventName, GENERIC);
    }

    /** Every field of a payload as {@code Field=value}, nested values as compact JSON: the full form. */
    static String pairs(Object payload) {
        List<String> parts = new ArrayList<>();
        Tree.object(payload).forEach((name, value) -> parts.add(name + "="
                + (Tree.isContainer(value) ? Json.text(value) : Tree.asText(value))));
        return String.join(" ", parts);
    }

    /** A payload's field as text; absent fields are empty (the schema leaves out what is unknown). */
    static String text(Object payload, String field) {
        Object value = Tree.get(payload, field);
        return value == null ? "" : Tree.isContainer(value) ? Json.text(value) : Tree.asText(value);
    }

    private static boolean has(Object payload, String field) {
        return Tree.object(payload).containsKey(field);
    }

    private static Cell cell(int width, Function<Object, String> text) {
        return new Cell(width, text);
    }

    private static String user(Object p) {
        return has(p, "UserName") ? text(p, "UserName") : has(p, "UserId") ? "uid " + text(p, "UserId") : "?";
    }

    private static String endpoint(Object p, String address, String port) {
        String a = text(p, address);
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + text(p, port);
    }

    private static String systemSummary(Object p) {
        Map<String, Integer> nics = new TreeMap<>();
        Tree.array(Tree.get(p, "Nics")).forEach(n -> nics.merge(text(n, "Name"), 1, Integer::sum));
        String hardware = (text(p, "HardwareVendor") + " " + text(p, "HardwareModel")).trim();
        return String.join(" ", text(p, "OsDist"), text(p, "OsVersion"), text(p, "OsArch")).trim()
                + ", host " + text(p, "HostName") + (hardware.isEmpty() ? "" : ", hardware " + hardware) + ", "
                + nics.size() + " network interface(s) " + String.join(" ", nics.keySet());
    }
}
