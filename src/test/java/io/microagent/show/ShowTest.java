package io.microagent.show;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.event.LocalZone;
import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.collect.sbom.SoftwarePackage;
import io.microagent.event.DropLedger;
import io.microagent.event.SecurityEvent;
import io.microagent.ship.MessageBuilder;
import io.microagent.testing.Await;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.MessageSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show} over a corpus of every event kind (taken from a real run, plus a kind the agent does not have yet)
 * with malformed lines among them; the expected cells are read from the corpus's own JSON, not typed in.
 */
class ShowTest {
    private static final Path CORPUS = Path.of("src/test/resources/show/messages.jsonl");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    record Run(int code, List<String> out, List<String> err) {
        List<String> of(String event) {
            return out.stream().filter(l -> l.substring(20).startsWith(event + " ")).toList();
        }
    }

    static Run show(int width, String... args) throws IOException {
        return show(new ByteArrayInputStream(new byte[0]), width, args);
    }

    static Run show(java.io.InputStream stdin, int width, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Show.run(args, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), width, CLOCK);
        return new Run(code, out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** The corpus's well-formed messages, each checked against the schema first. */
    static List<JsonNode> messages() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS)) {
            if (line.startsWith("{\"AgentVersion\"") && line.endsWith("}")) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                if (!line.contains("FutureKind")) {
                    assertEquals(List.of(), MessageSchema.violations(bytes), "corpus line is schema-true: " + line);
                }
                all.add(MessageSchema.parse(bytes));
            }
        }
        return all;
    }

    static List<JsonNode> payloads(String event) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode m : messages()) {
            m.get("Events").forEach(e -> {
                if (e.get("Name").asText().equals(event)) {
                    e.get("Payload").forEach(all::add);
                }
            });
        }
        assertFalse(all.isEmpty(), "the corpus has " + event);
        return all;
    }

    @Test
    void everyPayloadIsOneLineWithTheFieldsThatMatterForItsKind() throws IOException {
        Run run = show(MessageView.NO_LIMIT, CORPUS.toString());
        List<JsonNode> processes = payloads("ProcessCreate");
        List<String> lines = run.of("ProcessCreate");
        assertEquals(processes.size(), lines.size(), run.out().toString());
        for (int i = 0; i < processes.size(); i++) {
            JsonNode p = processes.get(i);
            String line = lines.get(i);
            assertTrue(line.startsWith(SHOWN.format(Instant.parse(p.get("Timestamp").asText()))), line);
            assertTrue(line.contains(" " + p.get("HitCount").asText() + " " + p.get("Type").asText() + " "), line);
            assertTrue(line.contains("pid " + p.get("ProcessId").asText()), line);
            String commandLine = p.get("CommandLine").asText();
            assertTrue(line.endsWith(commandLine.isEmpty() ? "(command line not read)"
                    : MessageView.printable(commandLine)), line);
            assertTrue(line.contains(p.has("UserName") ? p.get("UserName").asText()
                    : p.has("UserId") ? "uid " + p.get("UserId").asText() : "?"), line);
        }
        List<String> connections = run.of("ConnectionCreate");
        List<JsonNode> expected = payloads("ConnectionCreate");
        assertEquals(expected.size(), connections.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode c = expected.get(i);
            String line = connections.get(i);
            for (String cell : List.of(c.get("Protocol").asText(), c.get("Direction").asText(),
                    endpoint(c, "Local") + " ", " > " + endpoint(c, "Remote") + " ", c.get("ApplicationProtocol").asText(),
                    "in " + c.get("BytesIn").asText() + " out " + c.get("BytesOut").asText())) {
                assertTrue(line.contains(cell), cell + " in " + line);
            }
        }
        List<String> logins = run.of("Login");
        expected = payloads("Login");
        assertEquals(expected.size(), logins.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode l = expected.get(i);
            for (String field : List.of("Operation", "UserName", "Executable", "RemoteAddress", "Source")) {
                assertTrue(logins.get(i).contains(l.get(field).asText()), field + " in " + logins.get(i));
            }
        }
        List<String> baseline = run.of("Baseline");
        expected = payloads("Baseline");
        assertEquals(expected.size(), baseline.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode b = expected.get(i);
            for (String field : List.of("Result", "Severity", "CheckId", "Description")) {
                assertTrue(baseline.get(i).contains(b.get(field).asText()), field + " in " + baseline.get(i));
            }
        }
        JsonNode system = payloads("SystemInformation").get(0);
        String systemLine = run.of("SystemInformation").get(0);
        assertTrue(systemLine.contains(system.get("OsDist").asText()) && systemLine.contains("host "
                + system.get("HostName").asText()), systemLine);
        assertEquals(List.of("agent alive"), run.of("Heartbeat").stream().map(l -> l.substring(20 + 16 + 5).trim()).toList());
        JsonNode drop = payloads("DroppedEventsStatistics").get(0);
        assertTrue(run.of("DroppedEventsStatistics").get(0).endsWith(drop.get("Collector").asText() + ": collected "
                + drop.get("CollectedEvents").asText() + ", dropped " + drop.get("DroppedEvents").asText()));
        JsonNode error = payloads("ConfigurationError").get(0);
        assertTrue(run.of("ConfigurationError").get(0).contains(error.get("Key").asText() + "="
                + error.get("Value").asText()));
        assertEquals(payloads("MessageStatistics").size(), run.of("MessageStatistics").size());
        // A kind this agent does not have yet still reads, field by field.
        assertTrue(run.of("FutureKind").get(0).endsWith("Colour=blue Nested={\"A\":1}"), run.of("FutureKind").toString());
    }

    @Test
    void packagesAreCountedUnlessAskedForInFull() throws IOException {
        List<JsonNode> packages = payloads("SBoM");
        List<String> summary = show(MessageView.NO_LIMIT, CORPUS.toString()).of("SBoM");
        long jars = packages.stream().filter(p -> p.get("Type").asText().equals("jar")).count();
        assertEquals(1, summary.size());
        assertTrue(summary.get(0).contains(packages.size() + " package(s): deb " + (packages.size() - jars)
                + ", jar " + jars), summary.get(0));
        List<String> full = show(MessageView.NO_LIMIT, CORPUS.toString(), "--full").of("SBoM");
        assertEquals(packages.size(), full.size());
        for (int i = 0; i < packages.size(); i++) {
            assertTrue(full.get(i).contains(packages.get(i).get("Name").asText()) && full.get(i)
                    .contains(packages.get(i).get("Version").asText()), full.get(i));
        }
    }

    @Test
    void malformedLinesAreReportedWithTheirNumberAndSkipped() throws IOException {
        Run run = show(MessageView.NO_LIMIT, CORPUS.toString());
        assertEquals(1, run.code());
        List<String> lines = Files.readAllLines(CORPUS);
        List<Integer> bad = IntStream.range(0, lines.size())
                .filter(i -> !lines.get(i).isBlank() && !lines.get(i).startsWith("{\"AgentVersion\"")
                        || lines.get(i).startsWith("{\"AgentVersion\"") && !lines.get(i).endsWith("}"))
                .map(i -> i + 1).boxed().toList();
        assertEquals(3, bad.size());
        for (int number : bad) {
            assertTrue(run.err().stream().anyMatch(l -> l.startsWith(CORPUS + ":" + number + ": skipped, ")),
                    number + " in " + run.err());
        }
        assertEquals("3 malformed line(s) skipped", run.err().get(run.err().size() - 1));
        // The well-formed messages around them are all shown.
        assertEquals(payloads("ProcessCreate").size() + payloads("Login").size(),
                run.of("ProcessCreate").size() + run.of("Login").size());
    }

    @Test
    void nothingFromTheDeviceReachesTheTerminalAsAControlCharacter() throws IOException {
        Run run = show(MessageView.NO_LIMIT, CORPUS.toString());
        assertTrue(payloads("ProcessCreate").stream().anyMatch(p -> p.get("CommandLine").asText().contains("\u001b")),
                "the corpus carries an escape sequence");
        for (String line : run.out()) {
            assertTrue(line.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f), line);
        }
        assertTrue(run.out().stream().anyMatch(l -> l.contains("\\x1b[2J")));
    }

    @Test
    void linesAreCutToTheWidthUnlessWide() throws IOException {
        for (int width : new int[] {60, 100}) {
            Run run = show(width, CORPUS.toString());
            assertTrue(run.out().stream().allMatch(l -> l.length() <= width), run.out().toString());
            assertTrue(run.out().stream().anyMatch(l -> l.length() == width && l.endsWith("…")));
        }
        Run wide = show(60, CORPUS.toString(), "--wide");
        assertTrue(wide.out().stream().anyMatch(l -> l.length() > 100));
        assertEquals(show(MessageView.NO_LIMIT, CORPUS.toString()).out(), wide.out());
    }

    @Test
    void filtersByEventNameAndTime() throws IOException {
        Run logins = show(MessageView.NO_LIMIT, CORPUS.toString(), "--event", "login,HEARTBEAT");
        assertEquals(payloads("Login").size() + 1, logins.out().size());
        assertTrue(logins.out().stream().allMatch(l -> l.contains(" Login ") || l.contains(" Heartbeat ")));
        Run late = show(MessageView.NO_LIMIT, CORPUS.toString(), "--since", "2026-11-28 05:50:00", "--until",
                "2026-11-28T05:50:25Z", "--event", "ProcessCreate,ConnectionCreate,Login");
        List<String> times = new ArrayList<>();
        for (String event : List.of("ProcessCreate", "ConnectionCreate", "Login")) {
            for (JsonNode p : payloads(event)) {
                Instant t = Instant.parse(p.get("Timestamp").asText());
                if (!t.isBefore(Instant.parse("2026-11-28T05:50:00Z")) && !t.isAfter(Instant.parse(
                        "2026-11-28T05:50:25Z"))) {
                    times.add(SHOWN.format(t));
                }
            }
        }
        assertEquals(times.size(), late.out().size(), late.out().toString());
        assertEquals(times.stream().sorted().toList(), late.out().stream().map(l -> l.substring(0, 19)).sorted()
                .toList());
        Run recent = show(MessageView.NO_LIMIT, CORPUS.toString(), "--since", "5m", "--event", "Login");
        assertEquals(1, recent.out().size(), "only the sign-out at 05:55:10 is within 5 minutes of 06:00");
    }

    @Test
    void jsonPassesTheMessagesThroughUnchanged() throws IOException {
        List<String> valid = Files.readAllLines(CORPUS).stream()
                .filter(l -> l.startsWith("{\"AgentVersion\"") && l.endsWith("}")).toList();
        assertEquals(valid, show(MessageView.NO_LIMIT, CORPUS.toString(), "--json").out());
        assertEquals(valid.stream().filter(l -> l.contains("\"Name\":\"Login\"")).toList(),
                show(MessageView.NO_LIMIT, CORPUS.toString(), "--json", "--event", "Login").out());
    }

    @Test
    void readsStandardInputAndRefusesUnknownOptions() throws IOException {
        Run run = show(Files.newInputStream(CORPUS), MessageView.NO_LIMIT, "-");
        assertEquals(show(MessageView.NO_LIMIT, CORPUS.toString()).out(), run.out());
        assertTrue(run.err().get(0).startsWith("stdin:5: skipped"), run.err().toString());
        Run bad = show(MessageView.NO_LIMIT, "--colour");
        assertEquals(2, bad.code());
        assertTrue(bad.err().get(0).contains("unknown option --colour"), bad.err().toString());
        Run badTime = show(MessageView.NO_LIMIT, CORPUS.toString(), "--since", "yesterday");
        assertEquals(2, badTime.code());
        assertTrue(badTime.err().get(0).contains("not a time: yesterday (accepted: "), badTime.err().toString());
    }

    /** Messages the builder split (a window too big for one message) read as one stream of payloads. */
    @Test
    void messagesSplitByTheBuilderReadAsOneStream() throws IOException {
        List<SoftwarePackage> packages = IntStream.range(0, 400)
                .mapToObj(i -> new SoftwarePackage("package-" + i, "1." + i, "Maintainer " + i, "deb")).toList();
        MessageBuilder builder = new MessageBuilder("0.1.0", "5b0d9a3e-8f5c-4c1e-9a57-0d6f3b8e2c41",
                LocalZone.of(ZoneId.of("UTC")),
                8 * 1024, new DropLedger(), new CapturedLog().log());
        List<byte[]> parts = builder.build(List.of(SecurityEvent.periodic("SBoM", CLOCK.instant(), packages)));
        assertTrue(parts.size() > 3, "split into " + parts.size());
        StringBuilder file = new StringBuilder();
        for (byte[] part : parts) {
            assertEquals(List.of(), MessageSchema.violations(part));
            file.append(new String(part, StandardCharsets.UTF_8)).append('\n');
        }
        Run run = show(new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)),
                MessageView.NO_LIMIT, "--full");
        assertEquals(packages.stream().map(SoftwarePackage::name).toList(),
                run.out().stream().map(l -> l.split("\\s+")[4]).toList());
        assertEquals(0, run.code());
    }

    @Test
    void followReadsWhatIsAppendedAndStartsAgainWhenTheFileIsCutShort(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sec.jsonl");
        List<String> corpus = Files.readAllLines(CORPUS);
        String first = corpus.get(0);
        String second = corpus.get(1);
        Files.writeString(file, first + "\n");
        List<String> seen = new CopyOnWriteArrayList<>();
        PrintStream out = new PrintStream(new java.io.OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    seen.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
        Thread follower = new Thread(() -> {
            try {
                Show.run(new String[] {file.toString(), "--follow"}, InputStream.nullInputStream(), out,
                        new PrintStream(new ByteArrayOutputStream()), MessageView.NO_LIMIT, CLOCK);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        follower.start();
        int perFirst = payloadCount(first);
        Await.until("the first message shown", () -> seen.size() == perFirst);
        // Half a line is held until its newline arrives.
        Files.writeString(file, second.substring(0, 100), StandardOpenOption.APPEND);
        Files.writeString(file, second.substring(100) + "\n", StandardOpenOption.APPEND);
        Await.until("the appended message shown", () -> seen.size() == perFirst + payloadCount(second));
        // Copied and truncated (logrotate's copytruncate): read again from the start.
        Files.writeString(file, first + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Await.until("the file read again after truncation", () -> seen.size() == 2 * perFirst + payloadCount(second));
        follower.interrupt();
        follower.join(5000);
        assertFalse(follower.isAlive());
        assertEquals(seen.subList(0, perFirst), seen.subList(perFirst + payloadCount(second), seen.size()));
    }

    private static int payloadCount(String message) {
        JsonNode m = MessageSchema.parse(message.getBytes(StandardCharsets.UTF_8));
        int n = 0;
        for (JsonNode e : m.get("Events")) {
            n += Math.max(1, e.get("Payload").size());
        }
        return n;
    }


    private static String endpoint(JsonNode c, String side) {
        String a = c.get(side + "Address").asText();
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + c.get(side + "Port").asText();
    }

    private interface InputStream {
        static java.io.InputStream nullInputStream() {
            return java.io.InputStream.nullInputStream();
        }
    }
}
