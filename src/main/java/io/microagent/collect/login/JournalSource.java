package io.microagent.collect.login;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.microagent.core.Failures;
import io.microagent.linux.HostPaths;
import io.microagent.linux.PrivateFiles;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * sshd, login and dropbear records from the systemd journal, through libsystemd ({@code sd_journal_*}) with JNA:
 * the journal directory under {@code Agent_HostRoot} ({@code /var/log/journal}, else {@code /run/log/journal}),
 * from its end on a first start, from the cursor kept in the state directory after a restart (no journalctl
 * process). It is driven by the Login collector's one thread, which waits for the journal's descriptor beside the
 * sign-in files' (a journal handle is used on one thread only). Without libsystemd the source is off.
 */
final class JournalSource {
    /**
     * The few calls of libsystemd the source makes, bound by JNA's direct mapping (static natives: no proxy class and
     * no reflection per call). size_t is a C long on Linux, 32 or 64 bits: NativeLong.
     */
    static final class Systemd {
        private Systemd() {
        }

        static native int sd_journal_open_directory(PointerByReference journal, String path, int flags);

        static native int sd_journal_add_match(Pointer journal, byte[] data, NativeLong size);

        static native int sd_journal_seek_tail(Pointer journal);

        static native int sd_journal_seek_cursor(Pointer journal, String cursor);

        static native int sd_journal_test_cursor(Pointer journal, String cursor);

        static native int sd_journal_previous(Pointer journal);

        static native int sd_journal_next(Pointer journal);

        static native int sd_journal_get_data(Pointer journal, String field, PointerByReference data,
                NativeLongByReference length);

        static native int sd_journal_get_realtime_usec(Pointer journal, LongByReference usec);

        static native int sd_journal_get_cursor(Pointer journal, PointerByReference cursor);

        static native int sd_journal_wait(Pointer journal, long timeoutUsec);

        static native int sd_journal_get_fd(Pointer journal);

        static native int sd_journal_get_events(Pointer journal);

        static native int sd_journal_process(Pointer journal);

        static native void sd_journal_close(Pointer journal);
    }

    private static boolean bound;
    private static final String[] PROGRAMS = {"sshd", "sshd-session", "login", "dropbear"};
    /** The longest wait for the journal: libsystemd may need a look now and then (a rotation it missed). */
    static final int WAIT_MILLIS = 2000;

    private final Path directory;
    private final Optional<Path> cursorFile;
    private final AuthLogParser parser;
    private final Consumer<Login> sink;
    private final Failures failures;
    private final AgentLog log;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private Pointer journal;

    private JournalSource(Path directory, Optional<Path> cursorFile,
            AuthLogParser parser, Consumer<Login> sink, Failures failures, AgentLog log) {
        this.directory = directory;
        this.cursorFile = cursorFile;
        this.parser = parser;
        this.sink = sink;
        this.failures = failures;
        this.log = log;
    }

    /** The source, or null (with one info line) where there is no journal or no libsystemd. */
    static JournalSource open(HostPaths host, Optional<Path> stateDirectory, AuthLogParser parser,
            Consumer<Login> sink, Failures failures, AgentLog log) {
        Path directory = host.resolve("/var/log/journal");
        if (!Files.isDirectory(directory)) {
            directory = host.resolve("/run/log/journal");
        }
        if (!Files.isDirectory(directory)) {
            log.info("Login: no syslog file and no journal directory under " + host.root()
                    + ": sign-ins are read from wtmp and btmp only");
            return null;
        }
        try {
            bind();
        } catch (UnsatisfiedLinkError e) {
            log.info("Login: no syslog file, and libsystemd is not installed to read the journal in " + directory
                    + ": sign-ins are read from wtmp and btmp only");
            return null;
        }
        return new JournalSource(directory,
                stateDirectory.map(d -> d.resolve("login-journal-cursor")), parser, sink, failures, log);
    }

    private static synchronized void bind() {
        if (bound) {
            return;
        }
        NativeLibrary library;
        try { // the soname first: by the short name JNA lists every library directory looking for a match
            library = NativeLibrary.getInstance("libsystemd.so.0");
        } catch (UnsatisfiedLinkError e) {
            library = NativeLibrary.getInstance("systemd");
        }
        Native.register(Systemd.class, library);
        bound = true;
    }

    String counters() {
        return "journal_records=" + records + " journal_unreadable=" + unreadable;
    }

    /** Opens the journal and finds where to read from; false (with a warning) when it cannot be opened. */
    boolean open() {
        PointerByReference ref = new PointerByReference();
        int rc = Systemd.sd_journal_open_directory(ref, directory.toString(), 0);
        if (rc < 0) {
            log.warning("Login: cannot open the journal in " + directory + " (errno " + -rc + "); it is not read");
            return false;
        }
        Pointer j = ref.getValue();
        journal = j;
        for (String program : PROGRAMS) {
            byte[] match = ("SYSLOG_IDENTIFIER=" + program).getBytes(StandardCharsets.UTF_8);
            Systemd.sd_journal_add_match(j, match, new NativeLong(match.length));
        }
        String cursor = readCursor();
        if (cursor == null || Systemd.sd_journal_seek_cursor(j, cursor) < 0) {
            Systemd.sd_journal_seek_tail(j);
            Systemd.sd_journal_previous(j); // on the last entry: the next one is news
        } else if (Systemd.sd_journal_next(j) > 0 && Systemd.sd_journal_test_cursor(j, cursor) <= 0) {
            Systemd.sd_journal_previous(j); // the kept entry is gone (rotated away): start at the one found
        }
        return true;
    }

    /** Reads the entries that came since the last read, while {@code going}, and keeps the cursor after them. */
    void read(BooleanSupplier going) {
        Pointer j = journal;
        boolean any = false;
        while (going.getAsBoolean() && Systemd.sd_journal_next(j) > 0) {
            any = true;
            failures.contain("journal record", () -> entry(j));
        }
        if (any) {
            saveCursor(j);
        }
    }

    /**
     * The descriptor to poll and its events (sd_journal_get_fd and sd_journal_get_events: libsystemd's way into an
     * outside event loop), or null where there is none; then {@link #waitHere} waits instead.
     */
    int[] descriptor() {
        int fd = Systemd.sd_journal_get_fd(journal);
        int events = fd < 0 ? -1 : Systemd.sd_journal_get_events(journal);
        return fd < 0 || events < 0 ? null : new int[] {fd, events};
    }

    /** After the descriptor was polled: lets libsystemd take in what changed. */
    void process() {
        Systemd.sd_journal_process(journal);
    }

    /** Waits in libsystemd itself, where it gives no descriptor. */
    void waitHere() {
        Systemd.sd_journal_wait(journal, WAIT_MILLIS * 1000L);
    }

    /** On the thread that opened it. */
    void close() {
        if (journal != null) {
            Systemd.sd_journal_close(journal);
            journal = null;
        }
    }

    private void entry(Pointer j) {
        records.incrementAndGet();
        String message = field(j, "MESSAGE");
        String program = field(j, "SYSLOG_IDENTIFIER");
        String pid = field(j, "SYSLOG_PID");
        if (pid == null) {
            pid = field(j, "_PID");
        }
        LongByReference usec = new LongByReference();
        if (message == null || program == null || Systemd.sd_journal_get_realtime_usec(j, usec) < 0) {
            unreadable.incrementAndGet();
            return;
        }
        Integer processId;
        try {
            processId = pid == null ? null : Integer.valueOf(pid);
        } catch (NumberFormatException e) {
            processId = null;
        }
        Instant time = Instant.EPOCH.plusNanos(usec.getValue() * 1000);
        parser.message(time, program, processId, message).logins().forEach(sink);
    }

    private String field(Pointer j, String name) {
        PointerByReference data = new PointerByReference();
        NativeLongByReference length = new NativeLongByReference();
        if (Systemd.sd_journal_get_data(j, name, data, length) < 0) {
            return null;
        }
        String text = new String(data.getValue().getByteArray(0, (int) Math.min(length.getValue().longValue(),
                1 << 16)),
                StandardCharsets.UTF_8);
        return text.startsWith(name + "=") ? text.substring(name.length() + 1) : null;
    }

    private String readCursor() {
        try {
            return cursorFile.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f).strip();
                } catch (IOException e) {
                    return null;
                }
            }).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void saveCursor(Pointer j) {
        PointerByReference c = new PointerByReference();
        if (cursorFile.isEmpty() || Systemd.sd_journal_get_cursor(j, c) < 0) {
            return;
        }
        String cursor = c.getValue().getString(0, "UTF-8");
        Native.free(Pointer.nativeValue(c.getValue())); // libc's free: libsystemd allocated it
        try {
            PrivateFiles.replace(cursorFile.get(), cursor.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // kept for the next entry
        }
    }
}
