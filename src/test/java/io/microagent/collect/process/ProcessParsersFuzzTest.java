package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The process collector's parsers of what the kernel writes (proc connector datagrams, audit records, /proc
 * files), fuzzed. Each returns or skips and counts; none throws or produces more than its input holds.
 */
class ProcessParsersFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void procConnectorDatagrams(@NotNull byte[] datagram) {
        List<ProcEvent> events = new ArrayList<>();
        int malformed = ProcConnectorMessages.parse(ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder()),
                events::add);
        assertTrue(malformed >= 0);
        assertTrue(events.size() <= datagram.length / 16 + 1, "no more events than the datagram can hold");
    }

    @FuzzTest(maxDuration = "2m")
    void auditRecords(FuzzedDataProvider data) {
        List<AuditRecords.Exec> execs = new ArrayList<>();
        AuditRecords records = new AuditRecords(execs::add);
        int total = 0;
        while (data.remainingBytes() > 2) {
            String text = data.consumeString(512);
            total += text.length() + 1;
            records.accept(1300 + data.consumeInt(0, 30), text);
        }
        assertTrue(records.malformed() >= 0);
        for (AuditRecords.Exec e : execs) {
            assertTrue(e.argv().stream().mapToInt(String::length).sum() <= total, "argv comes from the records");
        }
    }

    @FuzzTest(maxDuration = "2m")
    void procFiles(FuzzedDataProvider data) {
        byte[] cmdline = data.consumeBytes(4096);
        String commandLine = ProcFiles.commandLine(cmdline);
        assertTrue(commandLine.length() <= cmdline.length, "a command line is never longer than its bytes");
        String status = data.consumeString(2048);
        int[] uidAndParent = ProcFiles.uidAndParent(status);
        assertTrue(uidAndParent == null || uidAndParent.length == 2);
        ProcFiles.statField(data.consumeRemainingAsString(), 9);
    }

    @FuzzTest(maxDuration = "2m")
    void auditStatus(@NotNull byte[] payload) {
        try {
            AuditStatus.parse(ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()));
        } catch (IllegalArgumentException declared) {
            assertTrue(payload.length < 28, "refused only when too short: " + payload.length);
        }
    }

    /**
     * What the kernel writes as a command line reads back as its arguments joined by spaces (arguments that are
     * not empty: the trailing NULs of empty last arguments cannot be told from the terminator).
     */
    @FuzzTest(maxDuration = "1m")
    void commandLineRoundTrip(FuzzedDataProvider data) {
        List<String> args = new ArrayList<>();
        int n = data.consumeInt(1, 8);
        for (int i = 0; i < n; i++) {
            args.add("a" + data.consumeAsciiString(40).replace("\0", "").replaceAll("[^ -~]", "x"));
        }
        StringBuilder raw = new StringBuilder();
        args.forEach(a -> raw.append(a).append('\0'));
        assertEquals(String.join(" ", args), ProcFiles.commandLine(raw.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
