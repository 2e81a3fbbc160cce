package io.microagent.collect.process;

import io.microagent.aggregate.Aggregator;
import io.microagent.aggregate.OverflowPolicy;
import io.microagent.collect.AggregatedEvents;
import io.microagent.collect.Collector;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.core.Failures;
import io.microagent.event.DropLedger;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.linux.UserNames;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * ProcessCreate: executions from the source {@code Process_Mode} picks, aggregated per window by command line
 * and user id, with hit counts.
 */
public final class ProcessCreateCollector implements Collector {
    /** The initial pid and user namespaces have these fixed inode numbers (PROC_PID_INIT_INO, PROC_USER_INIT_INO). */
    private static final String INITIAL_PID_NS = "pid:[4026531836]";
    private static final String INITIAL_USER_NS = "user:[4026531837]";

    private final Configuration config;
    private final HostPaths host;
    private final AgentLog log;
    private final Failures failures;
    private final Optional<Path> stateDirectory;
    private final AggregatedEvents<ProcessExecution> events;
    private final ProcessCounters counters = new ProcessCounters();
    private final ProcReader proc;
    private final UserNames users;
    private final SecretRedactor redactor;
    private ProcessSource source;

    public ProcessCreateCollector(Configuration config, HostPaths host, DropLedger drops, AgentLog log,
            Failures failures, Optional<Path> stateDirectory) {
        this.config = config;
        this.host = host;
        this.log = log;
        this.failures = failures;
        this.stateDirectory = stateDirectory;
        this.users = new UserNames(host);
        this.proc = new ProcReader(host, users);
        this.redactor = !config.get(Settings.PROCESS_REDACT_SECRETS) ? SecretRedactor.NONE
                : SecretRedactor.withPatterns(config.get(Settings.PROCESS_REDACT_PATTERNS) == null ? List.of()
                        : config.get(Settings.PROCESS_REDACT_PATTERNS));
        this.events = new AggregatedEvents<>(name(), new Aggregator<>(name(), Settings.PROCESS_CACHE_SIZE.key(),
                config.get(Settings.PROCESS_CACHE_SIZE), OverflowPolicy.DROP_OLDEST,
                ProcessExecution.COMMAND_LINE_USER_AND_TYPE, log), ProcessCreate::of, drops);
    }

    @Override
    public String name() {
        return "ProcessCreate";
    }

    @Override
    public String mode() {
        return source == null ? "" : source.mode().text();
    }

    @Override
    public boolean restoresOnStop() {
        return source != null && source.mode() == ProcessMode.AUDIT; // the audit configuration it may have changed
    }

    @Override
    public void start() throws IOException {
        AuditProcessSource.restoreLeftOver(stateDirectory, log);
        ProcessMode wanted = config.get(Settings.PROCESS_MODE);
        if (wanted != ProcessMode.AUTO) {
            source = source(wanted);
            source.start();
            log.info("ProcessCreate: " + wanted.text() + " mode (Process_Mode=" + wanted.number() + ")");
            return;
        }
        String audit = auditReadyAsIs();
        if (audit != null) {
            source = source(ProcessMode.AUDIT);
            source.start();
            log.info("ProcessCreate: Audit mode (Process_Mode=1, Auto: " + audit + ")");
            return;
        }
        String why = netlinkUnavailable();
        if (why == null) {
            ProcessSource netlink = source(ProcessMode.NETLINK);
            try {
                netlink.start();
                source = netlink;
                log.info("ProcessCreate: Netlink mode (Process_Mode=1, Auto: the proc connector is available)");
                return;
            } catch (IOException e) {
                why = "the proc connector refused: " + e.getMessage() + " (it needs CAP_NET_ADMIN)";
            }
        }
        source = source(ProcessMode.POLLING);
        source.start();
        log.info("ProcessCreate: Polling mode (Process_Mode=1, Auto: " + why + "); short-lived processes between two"
                + " scans are missed");
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        if (source != null) {
            source.windowClosing(windowEnd);
        }
        events.overflows(counters.overflows.get());
        return events.close(windowEnd);
    }

    @Override
    public List<SecurityEvent> flush(Instant now) {
        return collect(now);
    }

    @Override
    public void stop() {
        if (source != null) {
            source.stop();
        }
    }

    /** Executions read too late, ambiguous ones, malformed kernel messages, overflows, garbled passwd lines. */
    @Override
    public String counters() {
        return "unread=" + counters.unread + " ambiguous=" + counters.ambiguous + " malformed=" + counters.malformed
                + " overflows=" + counters.overflows + " passwd_lines_skipped=" + users.malformedLines();
    }

    private ProcessSource source(ProcessMode mode) {
        return switch (mode) {
            case NETLINK -> new NetlinkProcessSource(proc, this::accept, counters, log, failures);
            case AUDIT -> new AuditProcessSource(users, this::accept, counters, log, failures, stateDirectory);
            case POLLING, AUTO -> new PollingProcessSource(host, proc, this::accept,
                    config.get(Settings.PROCESS_POLLING_INTERVAL), failures);
        };
    }

    /** Every source's executions enter the window here, their secrets taken out first (so they aggregate as one). */
    private void accept(ProcessExecution execution) {
        events.accept(redactor.apply(execution));
    }

    /** Why Audit mode would change nothing here (see AuditControl#readyAsIs), or null. */
    private static String auditReadyAsIs() {
        try (AuditControl control = new AuditControl(AuditRule.forArchitecture(System.getProperty("os.arch")),
                Optional.empty())) {
            return control.readyAsIs();
        } catch (IOException | RuntimeException e) {
            return null; // no audit here, or no right to read its rules: Netlink or Polling, as before
        }
    }

    /** Why the proc connector cannot work here, or null: it reports nothing inside other namespaces. */
    private static String netlinkUnavailable() {
        try {
            String pid = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            String user = Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
            if (!pid.equals(INITIAL_PID_NS) || !user.equals(INITIAL_USER_NS)) {
                return "the agent runs in a container (" + pid + ", " + user + "), where the proc connector is silent";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "namespaces could not be read (" + e.getMessage() + ")";
        }
    }
}
