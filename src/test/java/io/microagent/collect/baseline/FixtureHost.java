package io.microagent.collect.baseline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host root made to pass or to fail a rule, derived from the rule itself: one table of what each predicate
 * needs, not a fixture per check. Several rules can be written into one host (a hardened host, a weak one).
 */
final class FixtureHost {
    private final Path root;
    private final int uid = (Integer) attribute("unix:uid");
    private final int gid = (Integer) attribute("unix:gid");
    private final Set<String> installed = new LinkedHashSet<>(List.of("base-files"));
    private final Map<String, String> sysctl = new LinkedHashMap<>();
    private final Map<String, Set<String>> mounts = new LinkedHashMap<>();
    private final List<String> loaded = new ArrayList<>();
    private final Map<String, StringBuilder> appended = new LinkedHashMap<>();
    private final Map<String, Integer> modes = new LinkedHashMap<>();
    private final List<String> passwd = new ArrayList<>(List.of("root:x:0:0:root:/root:/bin/bash",
            "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin", "pi:x:1000:1000::/home/pi:/bin/bash"));
    private final List<String> group = new ArrayList<>(List.of("root:x:0:", "daemon:x:1:", "shadow:x:42:",
            "crontab:x:105:", "pi:x:1000:"));
    private final List<String> shadow = new ArrayList<>(List.of("root:$y$j9T$salt$hash:19000:0:99999:7:::",
            "daemon:*:19000:0:99999:7:::", "pi:$y$j9T$salt$hash:19000:0:99999:7:::"));
    private boolean ownersAreThisUser;
    /** One host for many checks: an alternative passes through its first branch, which every check agrees with. */
    private boolean merged;

    /** Merged hosts: packages an earlier check chose (installed or not), which later alternatives keep to. */
    private final Map<String, Boolean> packagesChosen = new LinkedHashMap<>();

    FixtureHost(Path root) {
        this.root = root;
        append("/etc/shells", "/bin/sh\n/bin/bash");
    }

    private Object attribute(String name) {
        try {
            return Files.getAttribute(Path.of("."), name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For a host that is to pass many checks at once (a hardened host). */
    FixtureHost merged() {
        merged = true;
        return this;
    }

    void pass(Rule rule) {
        if (rule instanceof Rule.All all) {
            all.rules().forEach(this::pass);
        } else if (rule instanceof Rule.Any any && merged) {
            Rule chosen = any.rules().stream().filter(r -> !(r instanceof Predicate.PackageInstalled p)
                    || packagesChosen.getOrDefault(p.name(), p.wanted()) == p.wanted()).findFirst()
                    .orElse(any.rules().get(0));
            pass(chosen);
        } else if (rule instanceof Rule.Any any) {
            for (int i = 0; i < any.rules().size() - 1; i++) {
                fail(any.rules().get(i));
            }
            pass(any.rules().get(any.rules().size() - 1));
        } else if (rule instanceof Rule.Not not) {
            fail(not.rule());
        } else {
            predicate((Predicate) rule, true);
        }
    }

    void fail(Rule rule) {
        if (rule instanceof Rule.All all) {
            fail(all.rules().get(0));
            all.rules().subList(1, all.rules().size()).forEach(this::pass);
        } else if (rule instanceof Rule.Any any) {
            any.rules().forEach(this::fail);
        } else if (rule instanceof Rule.Not not) {
            pass(not.rule());
        } else {
            predicate((Predicate) rule, false);
        }
    }

    private void predicate(Predicate p, boolean pass) {
        if (p instanceof Predicate.ModuleDisabled m) {
            if (pass) {
                append("/etc/modprobe.d/cis.conf", "install " + m.module() + " /bin/false\nblacklist " + m.module());
            } else {
                loaded.add(m.module().replace('-', '_') + " 16384 0 - Live 0x0000000000000000");
            }
        } else if (p instanceof Predicate.PackageInstalled i) {
            if (merged) {
                packagesChosen.put(i.name(), pass == i.wanted());
            }
            if (pass == i.wanted()) {
                installed.add(i.name());
            } else {
                installed.remove(i.name());
            }
        } else if (p instanceof Predicate.Sysctl s) {
            sysctl.put(s.key(), pass ? s.value() : s.value().equals("0") ? "1" : "0");
        } else if (p instanceof Predicate.Mounted m) {
            if (pass) {
                mounts.computeIfAbsent(m.path(), k -> new LinkedHashSet<>(List.of("rw")));
            } else {
                mounts.remove(m.path());
            }
        } else if (p instanceof Predicate.MountOption m) {
            Set<String> options = mounts.computeIfAbsent(m.path(), k -> new LinkedHashSet<>(List.of("rw")));
            if (pass) {
                options.add(m.option());
            } else {
                options.remove(m.option());
            }
        } else if (p instanceof Predicate.FileMode f && f.maxMode() == 07777) { // file_exists
            if (pass) {
                modes.putIfAbsent(f.path(), 0644); // a mode another check set stays
            } else {
                modes.remove(f.path());
            }
        } else if (p instanceof Predicate.FileMode f) {
            ownersAreThisUser = true;
            // Passing, the strictest mode asked for wins (one host can hold every passing check).
            modes.merge(f.path().replace("*", "ed25519"), pass ? f.maxMode() : 0777, (a, b) -> pass ? a & b : b);
        } else if (p instanceof Predicate.FileContent c) {
            String file = c.paths().get(0).replace("*", "60-cis");
            if (pass == c.present()) {
                append(file, c.sample());
            } else {
                appended.putIfAbsent(file, new StringBuilder("# nothing that matters\n"));
            }
        } else if (p instanceof Predicate.Sshd s) {
            String value = value(s.op(), s.values(), pass);
            append("/etc/ssh/sshd_config", value != null ? s.key() + " " + value : "# " + s.key() + " left unset");
        } else if (p instanceof Predicate.LoginDefs l) {
            append("/etc/login.defs", l.key() + " " + value(l.op(), l.values(), pass));
        } else if (p instanceof Predicate.Accounts a && !pass) {
            breakAccounts(a.property());
        }
    }

    /** A value that meets (or does not meet) the comparison; null: leave the setting out. */
    private static String value(Predicate.Op op, List<String> values, boolean pass) {
        return switch (op) {
            case IN -> pass ? values.get(0) : "not-" + values.get(0);
            case NOT_IN -> pass ? "/etc/issue.net" : values.get(0);
            case MAX -> pass ? values.get(0) : String.valueOf(Integer.parseInt(values.get(0)) + 1);
            case MIN -> pass ? values.get(0) : String.valueOf(Integer.parseInt(values.get(0)) - 1);
            case EXCLUDES -> pass ? "aes256-gcm@openssh.com" : values.get(0);
            case SET -> pass ? "pi" : null;
        };
    }

    private void breakAccounts(String property) {
        switch (property) {
            case "uid0_only_root" -> passwd.add("toor:x:0:0::/root:/bin/sh");
            case "gid0_only_root" -> passwd.add("op:x:1001:0::/home/op:/bin/sh");
            case "group_gid0_only_root" -> group.add("wheel0:x:0:");
            case "shadowed_passwords" -> passwd.add("legacy:abc123:1002:1000::/:/usr/sbin/nologin");
            case "no_empty_shadow_passwords" -> shadow.add("nopass::19000:0:99999:7:::");
            case "passwd_groups_exist" -> passwd.add("orphan:x:1003:4242::/:/usr/sbin/nologin");
            case "shadow_group_empty" -> group.set(2, "shadow:x:42:pi");
            case "unique_uids" -> passwd.add("twin:x:1000:1000::/:/usr/sbin/nologin");
            case "unique_gids" -> group.add("twins:x:1000:");
            case "unique_user_names" -> passwd.add("pi:x:1005:1000::/home/pi:/bin/bash");
            case "unique_group_names" -> group.add("pi:x:1006:");
            case "root_access_controlled" -> shadow.set(0, "root::19000:0:99999:7:::");
            case "system_accounts_nologin" -> passwd.add("svc:x:5:1::/:/bin/bash");
            case "password_changes_in_past" -> shadow.set(2, "pi:$y$j9T$salt$hash:99999:0:99999:7:::");
            case "no_forward_rhosts_netrc" -> modes.put("/home/pi/.netrc", 0600);
            case "invalid_shell_accounts_locked" -> {
                passwd.add("svc2:x:1010:1000::/:/usr/sbin/nologin");
                shadow.add("svc2:$y$j9T$salt$hash:19000:0:99999:7:::");
            }
            default -> throw new IllegalArgumentException(property);
        }
    }

    private void append(String file, String line) {
        appended.computeIfAbsent(file, k -> new StringBuilder()).append(line).append('\n');
    }

    /** Writes the host: account files, dpkg status, /proc, the configuration files, the files whose mode matters. */
    Path write() throws IOException {
        write("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
        List<String> users = new ArrayList<>(passwd);
        List<String> groups = new ArrayList<>(group);
        if (ownersAreThisUser && uid != 0) { // mode fixtures: the names own what this (non-root) user creates
            users.set(0, "root:x:" + uid + ":" + gid + ":root:/root:/bin/bash");
            groups.replaceAll(g -> g.matches("(root|shadow|crontab|daemon):.*") ? g.replaceFirst(":x:\\d+:", ":x:" + gid + ":") : g);
        }
        write("/etc/passwd", String.join("\n", users) + "\n");
        write("/etc/group", String.join("\n", groups) + "\n");
        write("/etc/shadow", String.join("\n", shadow) + "\n");
        StringBuilder status = new StringBuilder();
        for (String p : installed) {
            status.append("Package: ").append(p).append("\nStatus: install ok installed\nPriority: optional\n"
                    + "Section: misc\nMaintainer: Fixture <fixture@example.org>\nArchitecture: all\nVersion: 1.0\n"
                    + "Description: a package of a fixture host\n\n");
        }
        write("/var/lib/dpkg/status", status.toString());
        write("/proc/modules", String.join("\n", loaded) + (loaded.isEmpty() ? "" : "\n"));
        StringBuilder proc = new StringBuilder("/dev/root / ext4 rw,relatime 0 0\n");
        mounts.forEach((path, options) -> proc.append("tmpfs ").append(path).append(" tmpfs ")
                .append(String.join(",", options)).append(" 0 0\n"));
        write("/proc/mounts", proc.toString());
        StringBuilder fstab = new StringBuilder("# <file system> <mount point> <type> <options> <dump> <pass>\n");
        mounts.forEach((path, options) -> fstab.append("tmpfs ").append(path).append(" tmpfs ")
                .append(String.join(",", options)).append(" 0 0\n"));
        write("/etc/fstab", fstab.toString());
        StringBuilder conf = new StringBuilder();
        sysctl.forEach((k, v) -> {
            conf.append(k).append(" = ").append(v).append('\n');
            write("/proc/sys/" + k.replace('.', '/'), v + "\n");
        });
        write("/etc/sysctl.d/60-cis.conf", conf.toString());
        if (!appended.containsKey("/etc/login.defs")) {
            append("/etc/login.defs", "UID_MIN 1000");
        } else {
            appended.get("/etc/login.defs").append("UID_MIN 1000\n");
        }
        appended.putIfAbsent("/etc/ssh/sshd_config", new StringBuilder("# defaults\n"));
        appended.forEach((file, text) -> write(file, text.toString()));
        for (Map.Entry<String, Integer> m : modes.entrySet()) {
            Path p = path(m.getKey());
            if (!Files.exists(p)) {
                write(m.getKey(), "");
            }
            Files.setPosixFilePermissions(p, permissions(m.getValue()));
        }
        return root;
    }

    private void write(String file, String text) {
        try {
            Path p = path(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }
}
