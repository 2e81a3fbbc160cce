package io.microagent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what src/bench/exec-storm.sh collected and prints: executions counted, with their exact command line,
 * with a wrong one (another process's, such as the storm's parent shell), and unread (empty command line).
 * {@code agent FILE RUN} reads the agent's JSON lines; {@code forkstat FILE RUN} reads forkstat's output.
 */
public final class ExecStormReport {
    public static void main(String[] args) throws Exception {
        String run = args[2];
        Pattern exact = Pattern.compile("/bin/true storm-" + run + "-\\d+");
        long exactHits = 0;
        long wrong = 0;
        long unread = 0;
        if (args[0].equals("agent")) {
            long[] counts = new long[3]; // exact, wrong, unread
            AgentOutput.processCreates(Path.of(args[1]), p -> {
                String cmd = p.get("CommandLine").asText();
                long hits = p.get("HitCount").asLong();
                if (exact.matcher(cmd).matches()) {
                    counts[0] += hits;
                } else if (cmd.isEmpty()) {
                    counts[2] += hits;
                } else if (cmd.contains("storm-" + run)) {
                    // The generator shell runs once; any further hit is a child given its command line.
                    counts[1] += cmd.contains("for ((") ? hits - 1 : hits;
                }
            });
            exactHits = counts[0];
            wrong = counts[1];
            unread = counts[2];
        } else {
            // "19:27:09 exec  21559                 /bin/true storm-x-1 "
            Pattern execLine = Pattern.compile("^\\S+ exec\\s+\\d+\\s+(.*?)\\s*$");
            boolean generatorSeen = false;
            for (String line : Files.readAllLines(Path.of(args[1]))) {
                Matcher m = execLine.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String cmd = m.group(1);
                if (exact.matcher(cmd).matches()) {
                    exactHits++;
                } else if (cmd.contains("storm-" + run)) {
                    if (cmd.contains("for ((") && !generatorSeen) {
                        generatorSeen = true; // the generator's own exec
                    } else {
                        wrong++;
                    }
                } else if (cmd.isBlank() || cmd.startsWith("<")) {
                    unread++;
                }
            }
        }
        // Unread executions of this run cannot be told from other runs' (their command line is empty): what is
        // neither exact nor wrong was unread or missed.
        long executions = Long.parseLong(args[3]);
        System.out.printf("exact=%d wrong=%d not_exact=%d%n", exactHits, wrong, executions - exactHits - wrong);
    }
}
