package io.microagent.collect.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts an exec's audit records back together: SYSCALL (pid, ppid, uid, exe, success) and one or more EXECVE
 * (argv, hex-encoded where an argument holds spaces or special characters, split into {@code aN[i]} chunks
 * when long), closed by EOE. Pure: text in, executions out; garbled records are skipped and counted.
 */
final class AuditRecords {
    static final int SYSCALL = 1300;
    static final int EXECVE = 1309;
    static final int EOE = 1320;
    private static final int MAX_OPEN = 1024;

    /** One exec as audit saw it. */
    record Exec(Instant time, long serial, int pid, int ppid, Integer uid, String executable, List<String> argv) {
    }

    private static final class Open {
        Instant time;
        Map<String, String> syscall;
        final Map<String, String> execve = new LinkedHashMap<>();
    }

    private final Map<Long, Open> open = new LinkedHashMap<>();
    private final Consumer<Exec> sink;
    private long malformed;

    AuditRecords(Consumer<Exec> sink) {
        this.sink = sink;
    }

    long malformed() {
        return malformed;
    }

    void accept(int type, String text) {
        if (type != SYSCALL && type != EXECVE && type != EOE) {
            return;
        }
        int close = text.indexOf("):");
        int colon = text.lastIndexOf(':', close);
        if (!text.startsWith("audit(") || close < 0 || colon < 6) {
            malformed++;
            return;
        }
        long serial;
        Instant time;
        try {
            serial = Long.parseLong(text.substring(colon + 1, close));
            String[] stamp = text.substring(6, colon).split("\\.");
            if (stamp.length == 0) { // found by fuzzing: "audit(.:1):" split into nothing
                throw new NumberFormatException("no time stamp");
            }
            time = Instant.ofEpochSecond(Long.parseLong(stamp[0]), stamp.length > 1 ? Long.parseLong(stamp[1]) * 1_000_000 : 0);
        } catch (NumberFormatException | java.time.DateTimeException | ArithmeticException e) {
            // found by fuzzing: a stamp beyond Instant's range threw past the malformed count
            malformed++;
            return;
        }
        if (type == EOE) {
            Open done = open.remove(serial);
            if (done != null) {
                complete(serial, done);
            }
            return;
        }
        Open record = open.computeIfAbsent(serial, s -> new Open());
        record.time = time;
        Map<String, String> fields = fields(text.substring(close + 2));
        if (type == SYSCALL) {
            record.syscall = fields;
        } else {
            record.execve.putAll(fields);
        }
        if (open.size() > MAX_OPEN) {
            // An EOE went missing: complete the oldest rather than hold it forever.
            Iterator<Map.Entry<Long, Open>> oldest = open.entrySet().iterator();
            Map.Entry<Long, Open> e = oldest.next();
            oldest.remove();
            complete(e.getKey(), e.getValue());
        }
    }

    private void complete(long serial, Open record) {
        if (record.syscall == null || record.execve.isEmpty()) {
            return; // not an exec (other rules' records), or only half of one
        }
        if (!"yes".equals(record.syscall.get("success"))) {
            return;
        }
        try {
            int argc = Integer.parseInt(record.execve.get("argc"));
            List<String> argv = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                argv.add(argument(record.execve, i));
            }
            String uid = record.syscall.get("uid");
            sink.accept(new Exec(record.time, serial, Integer.parseInt(record.syscall.get("pid")),
                    Integer.parseInt(record.syscall.get("ppid")), uid == null ? null : Integer.parseUnsignedInt(uid),
                    value(record.syscall.get("exe")), argv));
        } catch (RuntimeException e) {
            malformed++;
        }
    }

    private static String argument(Map<String, String> execve, int index) {
        String whole = execve.get("a" + index);
        if (whole != null) {
            return value(whole);
        }
        // A long argument comes in chunks; a multi-byte character may straddle two hex chunks.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int chunk = 0;
        for (String part; (part = execve.get("a" + index + "[" + chunk + "]")) != null; chunk++) {
            bytes.writeBytes(part.startsWith("\"") ? part.substring(1, part.length() - 1).getBytes(StandardCharsets.UTF_8)
                    : HexFormat.of().parseHex(part));
        }
        if (chunk == 0) {
            throw new IllegalArgumentException("argument " + index + " missing");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A field's value: "quoted" as is, else hex-encoded bytes, else the bare word (such as {@code (null)}). */
    static String value(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            return raw.substring(1, raw.length() - 1);
        }
        if (raw.length() % 2 == 0 && !raw.isEmpty() && raw.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return new String(HexFormat.of().parseHex(raw), StandardCharsets.UTF_8);
        }
        return raw;
    }

    /** {@code key=value key="quoted value"} pairs (kernel records quote no inner quotes). */
    static Map<String, String> fields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq);
            int end;
            if (eq + 1 < n && text.charAt(eq + 1) == '"') {
                end = text.indexOf('"', eq + 2);
                end = end < 0 ? n : end + 1;
            } else {
                end = text.indexOf(' ', eq + 1);
                end = end < 0 ? n : end;
            }
            fields.put(key, text.substring(eq + 1, end));
            i = end;
        }
        return fields;
    }
}
