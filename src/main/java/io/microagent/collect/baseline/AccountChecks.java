package io.microagent.collect.baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks over /etc/passwd, /etc/shadow and /etc/group, by name. */
final class AccountChecks {
    static final List<String> PROPERTIES = List.of("uid0_only_root", "gid0_only_root", "group_gid0_only_root",
            "shadowed_passwords", "no_empty_shadow_passwords", "passwd_groups_exist", "shadow_group_empty",
            "unique_uids", "unique_gids", "unique_user_names", "unique_group_names", "root_access_controlled",
            "system_accounts_nologin", "password_changes_in_past", "no_forward_rhosts_netrc",
            "invalid_shell_accounts_locked");

    private AccountChecks() {
    }

    static Verdict test(String property, HostFacts host) {
        return switch (property) {
            case "uid0_only_root" -> only(host.table("/etc/passwd"), 2, "0", "root", "uid 0");
            case "gid0_only_root" -> only(host.table("/etc/passwd"), 3, "0", "root", "primary gid 0");
            case "group_gid0_only_root" -> only(host.table("/etc/group"), 2, "0", "root", "group id 0");
            case "shadowed_passwords" -> none(host.table("/etc/passwd"), r -> r.length > 1 && !r[1].equals("x"),
                    "a password in /etc/passwd");
            case "no_empty_shadow_passwords" -> none(host.table("/etc/shadow"), r -> r.length > 1 && r[1].isEmpty(),
                    "an empty password");
            case "passwd_groups_exist" -> {
                Set<String> gids = column(host.table("/etc/group"), 2);
                yield none(host.table("/etc/passwd"), r -> r.length > 3 && !gids.contains(r[3]),
                        "a primary group missing from /etc/group");
            }
            case "shadow_group_empty" -> {
                String shadowGid = null;
                List<String> members = new ArrayList<>();
                for (String[] g : host.table("/etc/group")) {
                    if (g[0].equals("shadow") && g.length > 3) {
                        shadowGid = g[2];
                        if (!g[3].isEmpty()) {
                            members.add(g[3]);
                        }
                    }
                }
                String gid = shadowGid;
                if (gid != null) {
                    host.table("/etc/passwd").stream().filter(r -> r.length > 3 && r[3].equals(gid))
                            .forEach(r -> members.add(r[0]));
                }
                yield Verdict.of(members.isEmpty(), "members of the shadow group: " + members);
            }
            case "unique_uids" -> unique(host.table("/etc/passwd"), 2, "uid");
            case "unique_gids" -> unique(host.table("/etc/group"), 2, "gid");
            case "unique_user_names" -> unique(host.table("/etc/passwd"), 0, "user name");
            case "unique_group_names" -> unique(host.table("/etc/group"), 0, "group name");
            case "root_access_controlled" -> {
                for (String[] r : host.table("/etc/shadow")) {
                    if (r[0].equals("root")) {
                        yield Verdict.of(r.length > 1 && !r[1].isEmpty(), "root has an empty password");
                    }
                }
                yield Verdict.fail("no root in /etc/shadow");
            }
            case "system_accounts_nologin" -> {
                String min = host.loginDefs().getOrDefault("UID_MIN", "1000");
                int uidMin = Integer.parseInt(min.strip());
                Set<String> exempt = Set.of("root", "sync", "shutdown", "halt", "nfsnobody");
                yield none(host.table("/etc/passwd"), r -> r.length > 6 && !exempt.contains(r[0])
                        && Integer.parseInt(r[2]) < uidMin && !r[6].matches(".*/(nologin|false)"),
                        "a login shell on a system account");
            }
            case "password_changes_in_past" -> {
                long today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay();
                yield none(host.table("/etc/shadow"), r -> r.length > 2 && r[2].matches("\\d+")
                        && Long.parseLong(r[2]) > today, "a password changed in the future");
            }
            case "no_forward_rhosts_netrc" -> {
                int uidMin = Integer.parseInt(host.loginDefs().getOrDefault("UID_MIN", "1000").strip());
                List<String> found = new ArrayList<>();
                for (String[] r : host.table("/etc/passwd")) {
                    boolean interactive = r.length > 6 && (r[0].equals("root") || Integer.parseInt(r[2]) >= uidMin)
                            && !r[6].matches(".*/(nologin|false)") && r[5].startsWith("/");
                    for (String dot : interactive ? List.of(".forward", ".rhosts", ".netrc") : List.<String>of()) {
                        if (host.stat(r[5] + "/" + dot) != null) {
                            found.add(r[5] + "/" + dot);
                        }
                    }
                }
                yield Verdict.of(found.isEmpty(), "found " + found);
            }
            case "invalid_shell_accounts_locked" -> {
                Set<String> shells = new HashSet<>();
                String text = host.text("/etc/shells");
                for (String line : text == null ? new String[0] : text.split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        shells.add(line.strip());
                    }
                }
                Map<String, String> passwords = new HashMap<>();
                host.table("/etc/shadow").stream().filter(r -> r.length > 1).forEach(r -> passwords.put(r[0], r[1]));
                yield none(host.table("/etc/passwd"), r -> r.length > 6 && !r[0].equals("root")
                        && !shells.contains(r[6]) && !passwords.getOrDefault(r[0], "!").matches("[!*].*"),
                        "an unlocked account without a valid shell");
            }
            default -> Verdict.error("unknown account check " + property);
        };
    }

    private static Verdict only(List<String[]> rows, int column, String value, String allowed, String what) {
        List<String> others = new ArrayList<>();
        for (String[] r : rows) {
            if (r.length > column && r[column].equals(value) && !r[0].equals(allowed)) {
                others.add(r[0]);
            }
        }
        return Verdict.of(others.isEmpty(), what + " also for " + others);
    }

    private static Verdict none(List<String[]> rows, java.util.function.Predicate<String[]> bad, String what) {
        List<String> found = rows.stream().filter(bad).map(r -> r[0]).toList();
        return Verdict.of(found.isEmpty(), what + " for " + found);
    }

    private static Verdict unique(List<String[]> rows, int column, String what) {
        Map<String, Integer> seen = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (String[] r : rows) {
            if (r.length > column && seen.merge(r[column], 1, Integer::sum) > 1) {
                duplicates.add(r[column]);
            }
        }
        return Verdict.of(duplicates.isEmpty(), "duplicate " + what + "s: " + duplicates);
    }

    private static Set<String> column(List<String[]> rows, int column) {
        Set<String> values = new HashSet<>();
        rows.stream().filter(r -> r.length > column).forEach(r -> values.add(r[column]));
        return values;
    }
}
