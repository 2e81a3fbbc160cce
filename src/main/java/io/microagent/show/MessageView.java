package io.microagent.show;

import io.microagent.json.Tree;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A security message as a person reads it: one line per payload (time, event, hit count, then that kind's
 * cells), operational events in a short form, SBoM as a count per package type unless shown in full. Text from
 * the device (command lines, user names) is printed with its control characters escaped, so nothing in a
 * message can move a terminal's cursor or recolour it.
 */
public final class MessageView {
    /** Lines are not cut. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final int NAME_WIDTH = 16;
    private static final int HITS_WIDTH = 5;

    private final ShowFilter filter;
    private final ZoneId zone;
    private final int width;
    private final boolean full;

    MessageView(ShowFilter filter, ZoneId zone, int width, boolean full) {
        this.filter = filter;
        this.zone = zone;
        this.width = width;
        this.full = full;
    }

    /** Every payload of every event, unfiltered, cut to {@code width}: what the sample's hub prints. */
    public static MessageView everything(int width) {
        return new MessageView(ShowFilter.ALL, ZoneId.systemDefault(), width, false);
    }

    /** Whether a parsed line is a security message at all; the reason it is not, or null. */
    static String problem(Object message) {
        if (!Tree.isObject(message)) {
            return "not a JSON object";
        }
        if (!(Tree.get(message, "Events") instanceof List<?> events)) {
            return "no Events array (not a security message)";
        }
        for (Object event : events) {
            if (!(Tree.get(event, "Name") instanceof String)) {
                return "an event without a Name";
            }
            if (Tree.object(event).containsKey("Payload") && !(Tree.get(event, "Payload") instanceof List)) {
                return "a Payload that is not an array";
            }
        }
        return null;
    }

    /** Whether any event of the message passes the filter (for {@code --json}). */
    boolean shows(Object message) {
        for (Object event : events(message)) {
            if (filter.shows(Tree.memberText(event, "Name"))) {
                return true;
            }
        }
        return false;
    }

    /** One line that sums up a message (its size, events and payloads per event), after {@code prefix}. */
    String summary(String prefix, Object message, int bytes) {
        Map<String, Integer> payloads = new LinkedHashMap<>();
        for (Object event : events(message)) {
            payloads.merge(Tree.memberText(event, "Name"), Tree.array(Tree.get(event, "Payload")).size(),
                    Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        payloads.forEach((name, n) -> parts.add(printable(name) + (n == 0 ? "" : " " + n)));
        return cut(prefix + "security message, " + bytes + " bytes, " + events(message).size() + " event(s): "
                + String.join(", ", parts));
    }

    /** The message's lines, filtered. */
    public List<String> lines(Object message) {
        List<String> lines = new ArrayList<>();
        for (Object event : events(message)) {
            String name = Tree.memberText(event, "Name");
            if (!filter.shows(name)) {
                continue;
            }
            String eventTime = Tree.memberText(event, "TimestampUTC");
            List<Object> payload = Tree.array(Tree.get(event, "Payload"));
            if (payload.isEmpty()) {
                if (filter.shows(instant(eventTime))) {
                    lines.add(line(eventTime, name, "", List.of(name.equals("Heartbeat") ? "agent alive"
                            : "(no payload)")));
                }
                continue;
            }
            if (name.equals("SBoM") && !full) {
                if (filter.shows(instant(eventTime))) {
                    lines.add(line(eventTime, name, "", List.of(packageCount(payload))));
                }
                continue;
            }
            List<PayloadLayout.Cell> cells = full && name.equals("SystemInformation")
                    ? List.of(new PayloadLayout.Cell(0, PayloadLayout::pairs)) : PayloadLayout.of(name);
            for (Object p : payload) {
                String time = Tree.object(p).containsKey("Timestamp") ? Tree.memberText(p, "Timestamp") : eventTime;
                if (!filter.shows(instant(time))) {
                    continue;
                }
                List<String> texts = new ArrayList<>();
                for (PayloadLayout.Cell cell : cells) {
                    texts.add(pad(printable(cell.text().apply(p)), cell.width()));
                }
                lines.add(line(time, name, PayloadLayout.text(p, "HitCount"), texts));
            }
        }
        return lines;
    }

    private String line(String time, String rawName, String rawHits, List<String> cells) {
        // Found by fuzzing: an event's name and hit count come from the message too, not only its payload's cells.
        String name = printable(rawName);
        String hits = printable(rawHits);
        StringBuilder b = new StringBuilder();
        b.append(localTime(time)).append(' ').append(pad(name, NAME_WIDTH));
        b.append(" ".repeat(Math.max(0, HITS_WIDTH - hits.length()))).append(hits);
        for (String cell : cells) {
            b.append(' ').append(cell);
        }
        return cut(b.toString().stripTrailing());
    }

    private static List<Object> events(Object message) {
        return Tree.array(Tree.get(message, "Events"));
    }

    private static String packageCount(List<Object> payload) {
        Map<String, Integer> byType = new TreeMap<>();
        payload.forEach(p -> byType.merge(PayloadLayout.text(p, "Type"), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byType.forEach((type, n) -> parts.add(type + " " + n));
        return payload.size() + " package(s): " + String.join(", ", parts) + " (--full lists them)";
    }

    private String localTime(String utc) {
        Instant t = instant(utc);
        return t == null ? pad(printable(utc), 19) : TIME.format(t.atZone(zone));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String cut(String line) {
        if (line.length() <= width) {
            return line;
        }
        int end = width - 1;
        if (end > 0 && Character.isLowSurrogate(line.charAt(end))) {
            end--;
        }
        return line.substring(0, Math.max(0, end)) + "…";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /** Control characters (C0, DEL, C1) as \xNN: a command line may carry terminal escape sequences. */
    public static String printable(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c >= 0x7f && c <= 0x9f;
            if (control && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\x%02x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }
}
