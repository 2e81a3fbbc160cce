package io.microagent.collect.process;

import io.microagent.json.Json;
import io.microagent.linux.NetlinkSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit configuration requests (linux/audit.h) over a control socket: status, enabled flag, backlog limit,
 * rules. {@link #apply} records every change it makes; {@link #restore} puts them back.
 */
final class AuditControl implements AutoCloseable {
    static final int AUDIT_GET = 1000;
    static final int AUDIT_SET = 1001;
    static final int AUDIT_ADD_RULE = 1011;
    static final int AUDIT_DEL_RULE = 1012;
    static final int AUDIT_LIST_RULES = 1013;
    static final int WANTED_BACKLOG_LIMIT = 8192;
    private static final int EEXIST = 17;
    private static final int ENOENT = 2;
    static final String CHANGES_FILE = "audit-changes.json";

    private final NetlinkSocket socket;
    private final List<AuditRule> rules;
    private final Optional<Path> changesFile;

    AuditControl(List<AuditRule> rules, Optional<Path> stateDirectory) throws IOException {
        this.socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT, 0, 1 << 20);
        this.rules = rules;
        this.changesFile = stateDirectory.map(d -> d.resolve(CHANGES_FILE));
    }

    AuditStatus status() throws IOException {
        return AuditStatus.parse(socket.query(AUDIT_GET, new byte[0], AUDIT_GET, false).get(0));
    }

    /** Every rule in the kernel, as its audit_rule_data bytes (for comparisons in tests and status). */
    List<byte[]> listRules() throws IOException {
        List<byte[]> all = new ArrayList<>();
        for (ByteBuffer rule : socket.query(AUDIT_LIST_RULES, new byte[0], AUDIT_LIST_RULES, true)) {
            byte[] bytes = new byte[rule.remaining()];
            rule.get(bytes);
            all.add(bytes);
        }
        return all;
    }

    /**
     * Why listening to audit here changes nothing, or null: an audit daemon runs (not this process), audit is on with
     * a backlog of {@link #WANTED_BACKLOG_LIMIT} or more, and the kernel's rules already audit every execve of each
     * architecture.
     */
    String readyAsIs() throws IOException {
        AuditStatus status = status();
        boolean enough = status.backlogLimit() == 0 || status.backlogLimit() >= WANTED_BACKLOG_LIMIT;
        if (status.enabled() == 0 || status.pid() == 0 || status.pid() == ProcessHandle.current().pid() || !enough) {
            return null;
        }
        List<byte[]> existing = listRules();
        for (AuditRule rule : rules) {
            if (existing.stream().noneMatch(rule::coveredBy)) {
                return null;
            }
        }
        return "an audit daemon (pid " + status.pid() + ") runs and the kernel already audits every execve ("
                + String.join(", ", rules.stream().map(AuditRule::arch).toList()) + "): listening changes nothing";
    }

    /** A changes file left by a run that was killed: its changes are put back first. */
    Optional<AuditChanges> leftOver() {
        try {
            if (changesFile.isPresent() && Files.exists(changesFile.get())) {
                return Optional.of(AuditChanges.of(Json.read(Files.readAllBytes(changesFile.get()))));
            }
        } catch (IOException | RuntimeException e) {
            // A garbled file cannot be acted on; it is replaced by this run's.
        }
        return Optional.empty();
    }

    /** Enables audit, raises the backlog and adds the execve rules as needed; returns what it changed. */
    AuditChanges apply(AuditStatus status) throws IOException {
        Integer enabledBefore = null;
        Integer backlogBefore = null;
        List<String> added = new ArrayList<>();
        try {
            if (status.enabled() == 0) {
                check(socket.command(AUDIT_SET, AuditStatus.set(AuditStatus.MASK_ENABLED, 1, 0, 0)), "enable audit");
                enabledBefore = 0;
            }
            if (status.backlogLimit() < WANTED_BACKLOG_LIMIT) {
                check(socket.command(AUDIT_SET, AuditStatus.set(AuditStatus.MASK_BACKLOG_LIMIT, 0, 0,
                        WANTED_BACKLOG_LIMIT)), "raise the audit backlog limit");
                backlogBefore = status.backlogLimit();
            }
            List<byte[]> existing = listRules();
            for (AuditRule rule : rules) {
                if (existing.stream().anyMatch(rule::coveredBy)) {
                    continue; // the kernel already audits every execve of this architecture: nothing to add
                }
                int errno = socket.command(AUDIT_ADD_RULE, rule.data());
                if (errno == 0) {
                    added.add(rule.arch());
                } else if (errno != EEXIST) { // present already: not ours to remove
                    check(errno, "add the " + rule.arch() + " execve audit rule");
                }
                save(new AuditChanges(enabledBefore, backlogBefore, added, false));
            }
        } catch (IOException e) {
            restore(new AuditChanges(enabledBefore, backlogBefore, added, false));
            throw e;
        }
        AuditChanges changes = new AuditChanges(enabledBefore, backlogBefore, added, false);
        save(changes);
        return changes;
    }

    /** Registers {@code reader} as the audit daemon: records then come to it and not to the kernel log. */
    AuditChanges register(NetlinkSocket reader, AuditChanges changes) throws IOException {
        int pid = (int) ProcessHandle.current().pid();
        check(reader.command(AUDIT_SET, AuditStatus.set(AuditStatus.MASK_PID, 0, pid, 0)), "register as audit daemon");
        AuditChanges registered = new AuditChanges(changes.enabledBefore(), changes.backlogLimitBefore(),
                changes.rulesAdded(), true);
        save(registered);
        return registered;
    }

    /** Puts back what {@code changes} records, in reverse order; returns the steps that failed. */
    List<String> restore(AuditChanges changes) {
        List<String> failed = new ArrayList<>();
        if (changes.registered()) {
            step(failed, "unregister", AUDIT_SET, AuditStatus.set(AuditStatus.MASK_PID, 0, 0, 0), 0);
        }
        for (AuditRule rule : rules) {
            if (changes.rulesAdded().contains(rule.arch())) {
                step(failed, "delete the " + rule.arch() + " rule", AUDIT_DEL_RULE, rule.data(), ENOENT);
            }
        }
        if (changes.backlogLimitBefore() != null) {
            step(failed, "restore backlog_limit", AUDIT_SET,
                    AuditStatus.set(AuditStatus.MASK_BACKLOG_LIMIT, 0, 0, changes.backlogLimitBefore()), 0);
        }
        if (changes.enabledBefore() != null) {
            step(failed, "restore enabled", AUDIT_SET,
                    AuditStatus.set(AuditStatus.MASK_ENABLED, changes.enabledBefore(), 0, 0), 0);
        }
        if (failed.isEmpty()) {
            changesFile.ifPresent(f -> f.toFile().delete());
        }
        return failed;
    }

    private void step(List<String> failed, String what, int type, byte[] payload, int alsoFine) {
        try {
            int errno = socket.command(type, payload);
            if (errno != 0 && errno != alsoFine) {
                failed.add(what + " (errno " + errno + ")");
            }
        } catch (IOException e) {
            failed.add(what + " (" + e.getMessage() + ")");
        }
    }

    private void save(AuditChanges changes) {
        changesFile.ifPresent(f -> {
            try {
                Path temp = f.resolveSibling(CHANGES_FILE + ".tmp");
                Files.write(temp, Json.write(changes));
                Files.move(temp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Without the file only a killed run's changes stay: a normal stop still restores them.
            }
        });
    }

    private static void check(int errno, String what) throws IOException {
        if (errno != 0) {
            throw new IOException("could not " + what + ": errno " + errno
                    + (errno == 1 ? " (needs CAP_AUDIT_CONTROL; or audit is locked with enabled=2)" : ""));
        }
    }

    @Override
    public void close() {
        socket.close();
    }

}
