package io.microagent.collect.login;

import io.microagent.collect.Collector;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import io.microagent.event.Category;
import io.microagent.event.DropLedger;
import io.microagent.event.EventType;
import io.microagent.event.LocalZone;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.linux.Inotify;
import io.microagent.linux.WakeablePoll;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Login: sign-ins, sign-outs and failed sign-ins, one payload each (not aggregated). Sources: the syslog files of
 * {@code Login_AuthLogPaths}, wtmp and btmp, the systemd journal where no syslog file exists; or, with
 * {@code Login_UsePAM}, the PAM hook's log alone. Every source is followed on one thread, woken by inotify for the
 * files and by the journal's own descriptor (no polling while nothing is written); every host path is under
 * {@code Agent_HostRoot}.
 */
public final class LoginCollector implements Collector {
    static final String PAM_LOG = "/var/log/iot-micro-agent-pam.log";
    /** Sign-in events kept per window; beyond that they are dropped and counted. */
    static final int MAX_PER_WINDOW = 10_000;
    /** A safety net for changes inotify does not report (files on some network mounts). */
    private static final long RESCAN_SECONDS = 60;
    /** How often the files are looked at where inotify cannot watch them. */
    private static final long FALLBACK_RESCAN_SECONDS = 2;

    private final Configuration config;
    private final HostPaths host;
    private final AgentLog log;
    private final Failures failures;
    private final DropLedger drops;
    private final Positions positions;
    private final Optional<Path> stateDirectory;
    private final LocalZone zone;
    private final CrossSourceDuplicates duplicates = new CrossSourceDuplicates();
    private final List<FileFollower> followers = new ArrayList<>();
    private final List<LineSplitter> lineSources = new ArrayList<>();
    private final List<UtmpSplitter> utmpSources = new ArrayList<>();
    private final AtomicLong garbled = new AtomicLong();
    private final List<Login> window = new ArrayList<>();
    private long collected;
    private long dropped;
    private JournalSource journal;
    private Inotify inotify;
    private long rescanSeconds = RESCAN_SECONDS;
    private final WakeablePoll waiting = new WakeablePoll();
    private final java.nio.ByteBuffer readBuffer = FileFollower.buffer();
    private Thread thread;
    private volatile boolean running;
    private final List<String> modes = new ArrayList<>();

    public LoginCollector(Configuration config, HostPaths host, DropLedger drops, AgentLog log, Failures failures,
            Optional<Path> stateDirectory, LocalZone zone) {
        this.config = config;
        this.host = host;
        this.drops = drops;
        this.log = log;
        this.failures = failures;
        this.positions = new Positions(stateDirectory);
        this.stateDirectory = stateDirectory;
        this.zone = zone;
    }

    @Override
    public String name() {
        return "Login";
    }

    @Override
    public String mode() {
        return String.join("+", modes);
    }

    @Override
    public String counters() {
        long cut = lineSources.stream().mapToLong(LineSplitter::cutLines).sum();
        long utmpSkipped = utmpSources.stream().mapToLong(UtmpSplitter::skipped).sum();
        return "lines_garbled=" + garbled + " lines_cut=" + cut + " utmp_records_skipped=" + utmpSkipped
                + " duplicates=" + duplicates.duplicates() + (journal == null ? "" : " " + journal.counters());
    }

    @Override
    public void start() throws IOException {
        if (config.get(Settings.LOGIN_USE_PAM)) {
            followLines(host.resolve(PAM_LOG), line -> {
                List<Login> logins = PamLog.parse(line);
                if (logins == null) {
                    garbled.incrementAndGet();
                } else {
                    logins.forEach(this::accept);
                }
            });
            modes.add("pam");
        } else {
            boolean anySyslog = false;
            for (String configured : config.get(Settings.AUTH_LOG_PATHS)) {
                Path file = host.resolve(configured);
                anySyslog |= Files.exists(file);
                AuthLogParser parser = new AuthLogParser("auth.log", zone);
                followLines(file, line -> {
                    AuthLogParser.Result r = parser.parse(line, Instant.now());
                    if (r.kind() == AuthLogParser.Kind.GARBLED) {
                        garbled.incrementAndGet();
                    }
                    r.logins().forEach(this::accept);
                });
            }
            if (anySyslog) {
                modes.add("auth.log");
            }
            UtmpSessions sessions = new UtmpSessions();
            followUtmp(host.resolve("/var/log/wtmp"), "wtmp", r -> sessions.wtmp(r).forEach(this::accept));
            followUtmp(host.resolve("/var/log/btmp"), "btmp", r -> UtmpSessions.btmp(r).forEach(this::accept));
            if (!anySyslog) {
                journal = JournalSource.open(host, stateDirectory, new AuthLogParser("journal", zone), this::accept,
                        failures, log);
                if (journal != null) {
                    modes.add("journal");
                }
            }
        }
        watchDirectories();
        pollAll(); // first start: positions at the files' ends; a restart: what came while the agent was away
        running = true;
        thread = AgentThreads.start("login", this::run);
        log.info("Login: reading " + (modes.isEmpty() ? "nothing yet (no sign-in record exists here)" : mode())
                + " under " + host.root());
    }

    private void followLines(Path file, java.util.function.Consumer<String> lines) {
        LineSplitter splitter = new LineSplitter(lines);
        lineSources.add(splitter);
        followers.add(new FileFollower(file, positions, true, splitter, readBuffer));
    }

    private void followUtmp(Path file, String mode, java.util.function.Consumer<UtmpRecord> records) {
        UtmpSplitter splitter = new UtmpSplitter(records);
        utmpSources.add(splitter);
        followers.add(new FileFollower(file, positions, true, splitter, readBuffer));
        if (Files.exists(file)) {
            modes.add(mode);
        }
    }

    private void watchDirectories() {
        Set<Path> directories = new LinkedHashSet<>();
        followers.forEach(f -> directories.add(f.path().getParent()));
        try {
            inotify = Inotify.open();
            for (Path d : directories) {
                if (Files.isDirectory(d)) {
                    inotify.watch(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            rescanSeconds = FALLBACK_RESCAN_SECONDS;
            log.warning("Login: " + e.getMessage() + ": the sign-in files are looked at every " + rescanSeconds
                    + " s instead");
        }
    }

    private void run() {
        boolean journalOpen = journal != null && journal.open();
        try {
            long scanned = System.nanoTime();
            while (running) {
                if (journalOpen) {
                    journal.read(() -> running);
                }
                int[] journalFd = journalOpen ? journal.descriptor() : null;
                int filesFd = inotify == null ? -1 : inotify.fd();
                int millis = (int) Math.min(TimeUnit.SECONDS.toMillis(rescanSeconds),
                        journalOpen ? JournalSource.WAIT_MILLIS : Long.MAX_VALUE);
                if (journalOpen && journalFd == null) {
                    journal.waitHere();
                } else {
                    waiting.awaitEither(journalFd == null ? -1 : journalFd[0], filesFd,
                            (journalFd == null ? 0 : journalFd[1]) | WakeablePoll.POLLIN, millis);
                    if (journalOpen) {
                        journal.process();
                    }
                }
                boolean changed = inotify != null && inotify.drain();
                if (changed || System.nanoTime() - scanned >= TimeUnit.SECONDS.toNanos(rescanSeconds)) {
                    pollAll();
                    scanned = System.nanoTime();
                }
            }
        } finally {
            if (journalOpen) {
                journal.close();
            }
        }
    }

    private synchronized void pollAll() {
        for (FileFollower f : followers) {
            failures.contain("sign-in file " + f.path(), () -> {
                try {
                    f.poll();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    private void accept(Login login) {
        if (!duplicates.first(login)) {
            return;
        }
        synchronized (window) {
            collected++;
            if (window.size() >= MAX_PER_WINDOW) {
                dropped++;
                return;
            }
            window.add(login);
        }
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        List<Login> due;
        synchronized (window) {
            due = new ArrayList<>(window);
            window.clear();
            if (collected > 0 || dropped > 0) {
                drops.record(name(), collected, dropped);
                if (dropped > 0) {
                    log.warning("Login: " + dropped + " sign-in events over " + MAX_PER_WINDOW + " in one window were"
                            + " dropped (counted in DroppedEventsStatistics)");
                }
            }
            collected = 0;
            dropped = 0;
        }
        if (due.isEmpty()) {
            return List.of();
        }
        return List.of(new SecurityEvent(EventType.SECURITY, Category.TRIGGERED, name(), windowEnd, due));
    }

    @Override
    public List<SecurityEvent> flush(Instant now) {
        return collect(now);
    }

    @Override
    public void stop() {
        running = false;
        waiting.wake();
        AgentThreads.join(thread, Duration.ofSeconds(5));
        if (thread == null || !thread.isAlive()) { // its descriptors are closed once no thread polls them
            waiting.close();
            if (inotify != null) {
                inotify.close();
            }
        }
        followers.forEach(FileFollower::close);
    }
}
