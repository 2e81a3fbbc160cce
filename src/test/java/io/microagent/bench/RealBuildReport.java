package io.microagent.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what the agent reported of a build (src/bench/real-build.sh) with the kernel's audit log, the ground
 * truth: {@code AGENT_JSONL AUDIT_LOG UID KEY}. Executions of the build's user: how many the kernel audited; per
 * command line, the agent's exec hits that match (exact), that exceed the audited count (wrong: a count given to a
 * command line that did not run that often); exec hits without a command line (unread, any user: they carry no
 * uid); and the agent's fork entries of that user.
 */
public final class RealBuildReport {
    private static final Pattern RECORD = Pattern.compile("^type=(SYSCALL|EXECVE) msg=audit\\([\\d.]+:(\\d+)\\): (.*)$");
    private static final Pattern FIELD = Pattern.compile("(\\w+(?:\\[\\d+\\])?)=(\"[^\"]*\"|\\S+)");

    public static void main(String[] args) throws Exception {
        Map<String, Long> audited = audited(Path.of(args[1]), args[2], args[3]);
        Map<String, Long> execs = new HashMap<>();
        long[] unreadAndForks = new long[2];
        AgentOutput.processCreates(Path.of(args[0]), p -> {
            String cmd = p.get("CommandLine").asText();
            long hits = p.get("HitCount").asLong();
            boolean ours = p.hasNonNull("UserId") && p.get("UserId").asText().equals(args[2]);
            if (p.get("Type").asText().equals("fork")) {
                unreadAndForks[1] += ours ? hits : 0;
            } else if (cmd.isEmpty()) {
                unreadAndForks[0] += hits;
            } else if (ours) {
                execs.merge(cmd, hits, Long::sum);
            }
        });
        long unread = unreadAndForks[0];
        long forks = unreadAndForks[1];
        long total = audited.values().stream().mapToLong(Long::longValue).sum();
        long exact = 0;
        long wrong = 0;
        for (Map.Entry<String, Long> e : execs.entrySet()) {
            long truth = audited.getOrDefault(e.getKey(), 0L);
            exact += Math.min(truth, e.getValue());
            wrong += Math.max(0, e.getValue() - truth);
        }
        System.out.printf("audited=%d exact=%d wrong=%d unread=%d missed=%d forks=%d%n", total, exact, wrong, unread,
                Math.max(0, total - exact - unread), forks);
    }

    /**
     * Successful execve calls of {@code uid} under the audit rule {@code key}, or under the agent's own rule (Audit
     * mode adds it ahead of the benchmark's, and the kernel records an event under the first rule that matches),
     * counted per command line.
     */
    static Map<String, Long> audited(Path log, String uid, String key) throws Exception {
        Map<String, Map<String, String>> syscalls = new LinkedHashMap<>();
        Map<String, Map<String, String>> argvs = new HashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            Matcher m = RECORD.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher f = FIELD.matcher(m.group(3));
            while (f.find()) {
                fields.put(f.group(1), f.group(2));
            }
            // A long argv comes in several EXECVE records of one event.
            (m.group(1).equals("SYSCALL") ? syscalls : argvs).computeIfAbsent(m.group(2), k -> new HashMap<>())
                    .putAll(fields);
        }
        Map<String, Long> counts = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Map<String, String>> s : syscalls.entrySet()) {
            Map<String, String> sys = s.getValue();
            Map<String, String> argv = argvs.get(s.getKey());
            if (argv == null || !seen.add(s.getKey()) || !"yes".equals(sys.get("success"))
                    || !uid.equals(sys.get("uid"))
                    || !Set.of("\"" + key + "\"", "\"iot-micro-agent\"").contains(sys.get("key"))) {
                continue;
            }
            counts.merge(commandLine(argv), 1L, Long::sum);
        }
        return counts;
    }

    /** a0..aN joined by spaces; an argument with special characters is hex, a long one comes in aN[i] pieces. */
    static String commandLine(Map<String, String> argv) {
        int argc = Integer.parseInt(argv.get("argc"));
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < argc; i++) {
            String value = argv.get("a" + i);
            if (value == null) {
                StringBuilder pieces = new StringBuilder();
                for (int k = 0; argv.containsKey("a" + i + "[" + k + "]"); k++) {
                    pieces.append(argv.get("a" + i + "[" + k + "]"));
                }
                value = pieces.toString();
            }
            line.append(i == 0 ? "" : " ").append(decode(value));
        }
        return line.toString();
    }

    private static String decode(String value) {
        if (value.startsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        byte[] bytes = new byte[value.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(value.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
