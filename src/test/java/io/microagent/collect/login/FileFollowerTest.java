package io.microagent.collect.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFollowerTest {
    @TempDir
    Path dir;
    final List<String> lines = new ArrayList<>();

    FileFollower follower(Path file, Positions positions) {
        return new FileFollower(file, positions, true, new LineSplitter(lines::add), FileFollower.buffer());
    }

    void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void fromTheEndOnAFirstStartThenEveryCompleteLine() throws IOException {
        Path log = dir.resolve("auth.log");
        append(log, "old 1\nold 2\n");
        FileFollower f = follower(log, new Positions(Optional.of(dir)));
        f.poll();
        assertEquals(List.of(), lines, "what was there before the first start is history");
        append(log, "new 1\nnew 2 without its newline yet");
        f.poll();
        assertEquals(List.of("new 1"), lines);
        append(log, "\n");
        f.poll();
        assertEquals(List.of("new 1", "new 2 without its newline yet"), lines);
    }

    @Test
    void rotationByRenameReadsTheOldFileToItsEndThenTheNewOne() throws IOException {
        Path log = dir.resolve("auth.log");
        append(log, "");
        FileFollower f = follower(log, new Positions(Optional.of(dir)));
        f.poll();
        append(log, "a\n");
        f.poll();
        append(log, "b\nc-last-without-newline");
        Files.move(log, dir.resolve("auth.log.1"));
        append(log, "d\n");
        f.poll();
        assertEquals(List.of("a", "b", "c-last-without-newline", "d"), lines);
    }

    @Test
    void copyTruncateAndRecreation() throws IOException {
        Path log = dir.resolve("auth.log");
        append(log, "");
        FileFollower f = follower(log, new Positions(Optional.of(dir)));
        f.poll();
        append(log, "one\ntwo\n");
        f.poll();
        Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING); // logrotate copytruncate
        append(log, "three\n");
        f.poll();
        Files.delete(log);
        f.poll();
        append(log, "four\n"); // created anew: all of it is news
        f.poll();
        assertEquals(List.of("one", "two", "three", "four"), lines);
    }

    @Test
    void aRestartNeitherLosesNorRepeats() throws IOException {
        Path log = dir.resolve("auth.log");
        append(log, "before\n");
        FileFollower first = follower(log, new Positions(Optional.of(dir)));
        first.poll();
        append(log, "seen\n");
        first.poll();
        first.close();
        append(log, "while away\n");
        FileFollower second = follower(log, new Positions(Optional.of(dir))); // reads the kept position
        second.poll();
        assertEquals(List.of("seen", "while away"), lines);

        Files.move(log, dir.resolve("auth.log.1"));
        append(log, "after a rotation while away\n");
        FileFollower third = follower(log, new Positions(Optional.of(dir)));
        third.poll();
        assertEquals("after a rotation while away", lines.get(lines.size() - 1), "another file: read from its start");
    }

    @Test
    void aLineLongerThanAnyRealOneIsCut() throws IOException {
        Path log = dir.resolve("auth.log");
        append(log, "");
        LineSplitter splitter = new LineSplitter(lines::add);
        FileFollower f = new FileFollower(log, new Positions(Optional.empty()), true, splitter, FileFollower.buffer());
        f.poll();
        append(log, "x".repeat(200_000) + "\nnext\n");
        f.poll();
        assertEquals(2, lines.size());
        assertEquals(LineSplitter.MAX_LINE, lines.get(0).length());
        assertEquals("next", lines.get(1));
        assertEquals(1, splitter.cutLines());
    }

    static byte[] utmp(int type, int pid, String line, String user, String host, long seconds, byte[] address) {
        ByteBuffer b = ByteBuffer.allocate(UtmpRecord.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) type).putInt(4, pid);
        b.put(8, line.getBytes(StandardCharsets.UTF_8)).put(44, user.getBytes(StandardCharsets.UTF_8));
        b.put(76, host.getBytes(StandardCharsets.UTF_8)).putInt(340, (int) seconds).putInt(344, 250_000);
        b.put(348, address);
        return b.array();
    }

    @Test
    void wtmpSessionsAndBtmpFailuresReadIncrementallyAndATruncatedRecordWaits() throws IOException {
        Path wtmp = dir.resolve("wtmp");
        Files.write(wtmp, utmp(2, 0, "~", "reboot", "6.1.0", 1_700_000_000, new byte[16])); // history
        List<Login> logins = new ArrayList<>();
        UtmpSessions sessions = new UtmpSessions();
        UtmpSplitter splitter = new UtmpSplitter(r -> logins.addAll(sessions.wtmp(r)));
        FileFollower f = new FileFollower(wtmp, new Positions(Optional.of(dir)), true, splitter, FileFollower.buffer());
        f.poll();
        byte[] v4 = new byte[16];
        v4[0] = (byte) 192;
        v4[2] = 2;
        v4[3] = 7;
        byte[] login = utmp(7, 4242, "pts/0", "pi", "192.0.2.7", 1_764_266_645L, v4);
        byte[] logout = utmp(8, 4242, "pts/0", "", "", 1_764_267_000L, new byte[16]);
        Files.write(wtmp, login, StandardOpenOption.APPEND);
        Files.write(wtmp, java.util.Arrays.copyOf(logout, 100), StandardOpenOption.APPEND); // being written
        f.poll();
        assertEquals(List.of(new Login(Instant.ofEpochSecond(1_764_266_645L, 250_000_000), "Login", 4242, "pi",
                "pts/0", "192.0.2.7", "wtmp")), logins);
        Files.write(wtmp, java.util.Arrays.copyOfRange(logout, 100, UtmpRecord.SIZE), StandardOpenOption.APPEND);
        f.poll();
        assertEquals(new Login(Instant.ofEpochSecond(1_764_267_000L, 250_000_000), "Logout", 4242, "pi", "pts/0",
                "192.0.2.7", "wtmp"), logins.get(1), "the logout carries its session's user");

        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 9;
        UtmpRecord failed = UtmpRecord.parse(ByteBuffer.wrap(utmp(6, 77, "ssh:notty", "admin", "2001:db8::9",
                1_764_266_000L, v6)));
        assertEquals(List.of(new Login(Instant.ofEpochSecond(1_764_266_000L, 250_000_000), "LoginFailed", 77, "admin",
                "ssh", "2001:db8::9", "btmp")), UtmpSessions.btmp(failed));
        UtmpRecord console = UtmpRecord.parse(ByteBuffer.wrap(utmp(7, 5, "tty1", "root", "", 1, new byte[16])));
        assertEquals("127.0.0.1", console.remoteAddress());
        ByteBuffer garbage = ByteBuffer.allocate(UtmpRecord.SIZE);
        garbage.putShort(0, (short) 99);
        assertEquals(null, UtmpRecord.parse(garbage));
    }

    @Test
    void aRotatedWtmpWithATruncatedLastRecordCountsIt() throws IOException {
        Path wtmp = dir.resolve("wtmp");
        Files.write(wtmp, new byte[0]);
        List<UtmpRecord> records = new ArrayList<>();
        UtmpSplitter splitter = new UtmpSplitter(records::add);
        FileFollower f = new FileFollower(wtmp, new Positions(Optional.empty()), true, splitter, FileFollower.buffer());
        f.poll();
        Files.write(wtmp, utmp(7, 1, "pts/1", "a", "", 5, new byte[16]), StandardOpenOption.APPEND);
        Files.write(wtmp, new byte[50], StandardOpenOption.APPEND);
        Files.move(wtmp, dir.resolve("wtmp.1"));
        Files.write(wtmp, utmp(7, 2, "pts/2", "b", "", 6, new byte[16]));
        f.poll();
        assertEquals(2, records.size());
        assertEquals("b", records.get(1).user());
        assertEquals(1, splitter.skipped());
        assertTrue(records.get(0).time().getEpochSecond() == 5);
    }
}
