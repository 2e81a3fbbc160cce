package io.microagent.collect.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.event.LocalZone;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** auth.log lines, journal messages, the PAM hook's log, utmp records and the file splitters, fuzzed. */
class LoginParsersFuzzTest {
    private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");

    @FuzzTest(maxDuration = "2m")
    void authLogLines(FuzzedDataProvider data) {
        AuthLogParser parser = new AuthLogParser("auth.log", LocalZone.of(ZoneId.of("UTC")));
        String line = data.consumeRemainingAsString();
        AuthLogParser.Result r = parser.parse(line, NOW);
        assertTrue(r.logins().size() <= 16, "a line is a few sign-ins at most");
        r.logins().forEach(l -> assertTrue(l.userName() == null || line.contains(l.userName())
                || l.userName().isEmpty(), "a user name comes from the line"));
    }

    @FuzzTest(maxDuration = "2m")
    void journalMessages(FuzzedDataProvider data) {
        AuthLogParser parser = new AuthLogParser("journal", LocalZone.of(ZoneId.of("UTC")));
        String program = data.pickValue(new String[] {"sshd", "sshd-session", "login", "dropbear", "su"});
        Integer pid = data.consumeBoolean() ? data.consumeInt() : null;
        AuthLogParser.Result r = parser.message(NOW, program, pid, data.consumeRemainingAsString());
        assertTrue(r.logins().size() <= 16);
    }

    @FuzzTest(maxDuration = "2m")
    void pamHookLines(@NotNull String line) {
        List<Login> logins = PamLog.parse(line); // null: a line of another shape (counted by the caller)
        assertTrue(logins == null || logins.size() <= 1);
    }

    @FuzzTest(maxDuration = "2m")
    void utmpRecords(@NotNull byte[] file) {
        List<UtmpRecord> records = new ArrayList<>();
        UtmpSplitter splitter = new UtmpSplitter(records::add);
        ByteBuffer data = ByteBuffer.wrap(file);
        int used = splitter.consume(data, true);
        assertTrue(used >= 0 && used <= file.length);
        assertTrue(records.size() <= file.length / 384, "a record is 384 bytes");
    }

    /** Lines come out as they went in, however the bytes are cut into reads. */
    @FuzzTest(maxDuration = "2m")
    void lineSplitting(FuzzedDataProvider data) {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(lines::add);
        byte[] bytes = data.consumeRemainingAsString().replace("\uFFFD", "?").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int offset = 0;
        while (offset < bytes.length) {
            int used = splitter.consume(ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice(), true);
            assertTrue(used > 0 && used <= bytes.length - offset);
            offset += used;
        }
        if (splitter.cutLines() == 0 && bytes.length > 0) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> expected = new ArrayList<>(List.of(text.split("\n", -1)));
            if (text.endsWith("\n")) {
                expected.remove(expected.size() - 1);
            }
            expected.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l); // CRLF files
            assertEquals(expected, lines);
        }
        assertTrue(buffer.capacity() == bytes.length);
    }
}
