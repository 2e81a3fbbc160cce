package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditRecordsTest {
    final List<AuditRecords.Exec> execs = new ArrayList<>();
    final AuditRecords records = new AuditRecords(execs::add);

    static String syscall(long serial, String success) {
        return "audit(1795807199.746:" + serial + "): arch=c000003e syscall=59 success=" + success + " exit=0"
                + " a0=556fe09d12a0 items=2 ppid=12254 pid=12284 auid=4294967295 uid=1000 gid=0 euid=0 tty=(none)"
                + " ses=4294967295 comm=\"true\" exe=\"/usr/bin/true\" key=\"iot-micro-agent\"";
    }

    @Test
    void anExecIsAssembledFromSyscallExecveAndEoe() {
        String hex = HexFormat.of().withUpperCase().formatHex("with space é".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.accept(AuditRecords.SYSCALL, syscall(64, "yes"));
        records.accept(AuditRecords.EXECVE, "audit(1795807199.746:64): argc=3 a0=\"/bin/true\" a1=" + hex + " a2=\"x\"");
        records.accept(1302, "audit(1795807199.746:64): item=0 name=\"/bin/true\"");
        assertTrue(execs.isEmpty(), "not before EOE");
        records.accept(AuditRecords.EOE, "audit(1795807199.746:64): ");
        assertEquals(1, execs.size());
        AuditRecords.Exec e = execs.get(0);
        assertEquals(List.of("/bin/true", "with space é", "x"), e.argv());
        assertEquals(12284, e.pid());
        assertEquals(12254, e.ppid());
        assertEquals(1000, e.uid());
        assertEquals("/usr/bin/true", e.executable());
        assertEquals(Instant.parse("2026-11-27T19:19:59.746Z"), e.time());
    }

    @Test
    void longArgumentsArriveInChunksAcrossRecords() {
        String big = "y".repeat(9000);
        records.accept(AuditRecords.SYSCALL, syscall(7, "yes"));
        records.accept(AuditRecords.EXECVE, "audit(1795807199.746:7): argc=2 a0=\"/bin/true\" a1_len=9000 a1[0]=\""
                + big.substring(0, 7000) + "\"");
        records.accept(AuditRecords.EXECVE, "audit(1795807199.746:7): a1[1]=\"" + big.substring(7000) + "\"");
        records.accept(AuditRecords.EOE, "audit(1795807199.746:7): ");
        assertEquals(List.of("/bin/true", big), execs.get(0).argv());

        // A multi-byte character split between two hex chunks.
        byte[] bytes = "aé".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        records.accept(AuditRecords.SYSCALL, syscall(8, "yes"));
        records.accept(AuditRecords.EXECVE, "audit(1795807199.746:8): argc=1 a0_len=3 a0[0]="
                + HexFormat.of().formatHex(bytes, 0, 2) + " a0[1]=" + HexFormat.of().formatHex(bytes, 2, 3));
        records.accept(AuditRecords.EOE, "audit(1795807199.746:8): ");
        assertEquals(List.of("aé"), execs.get(1).argv());
    }

    @Test
    void failedExecsAndRecordsOfOtherRulesAreNotExecs() {
        records.accept(AuditRecords.SYSCALL, syscall(9, "no"));
        records.accept(AuditRecords.EXECVE, "audit(1795807199.746:9): argc=1 a0=\"/nope\"");
        records.accept(AuditRecords.EOE, "audit(1795807199.746:9): ");
        records.accept(AuditRecords.SYSCALL, syscall(10, "yes").replace("syscall=59", "syscall=44"));
        records.accept(AuditRecords.EOE, "audit(1795807199.746:10): ");
        assertTrue(execs.isEmpty());
        assertEquals(0, records.malformed());
    }

    @Test
    void garbledRecordsAreSkippedAndCounted() {
        records.accept(AuditRecords.SYSCALL, "garbage");
        records.accept(AuditRecords.EXECVE, "audit(x.y:z): argc=1");
        records.accept(AuditRecords.SYSCALL, syscall(11, "yes"));
        records.accept(AuditRecords.EXECVE, "audit(1795807199.746:11): argc=2 a0=\"/bin/true\"");
        records.accept(AuditRecords.EOE, "audit(1795807199.746:11): ");
        assertEquals(3, records.malformed());
        assertTrue(execs.isEmpty());
        records.accept(AuditRecords.SYSCALL, syscall(12, "yes"));
        records.accept(AuditRecords.EXECVE, "audit(1795807199.746:12): argc=1 a0=\"ok\"");
        records.accept(AuditRecords.EOE, "audit(1795807199.746:12): ");
        assertEquals(List.of("ok"), execs.get(0).argv(), "the stream goes on after garbage");
    }

    @Test
    void valuesDecodeQuotedHexAndBareWords() {
        assertEquals("a b", AuditRecords.value("6120 62".replace(" ", "")));
        assertEquals("plain", AuditRecords.value("\"plain\""));
        assertEquals("(null)", AuditRecords.value("(null)"));
    }
}
