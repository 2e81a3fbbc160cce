package io.microagent.collect.baseline;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The file-reading predicates checks are made of. Each reads what it needs through {@link HostFacts}; a fact
 * that cannot be read makes it an {@code Error}, never a pass.
 */
public sealed interface Predicate extends Rule {
    Verdict test(HostFacts host);

    @Override
    default Verdict evaluate(HostFacts host) {
        try {
            return test(host);
        } catch (Undecidable e) {
            return Verdict.error(e.getMessage());
        } catch (RuntimeException e) {
            return Verdict.error(e.toString());
        }
    }

    /** How a configured value is compared: one of, none of, at most, at least, a list without any of, given. */
    enum Op { IN, NOT_IN, MAX, MIN, EXCLUDES, SET }

    static boolean compare(String actual, Op op, List<String> values) {
        if (actual == null) {
            return op == Op.NOT_IN || op == Op.EXCLUDES;
        }
        if (op == Op.SET) {
            return !actual.isBlank();
        }
        String first = actual.split("\\s+")[0];
        return switch (op) {
            case IN -> values.stream().anyMatch(v -> v.equalsIgnoreCase(first));
            case NOT_IN -> values.stream().noneMatch(v -> v.equalsIgnoreCase(first));
            case MAX -> number(first).compareTo(new BigDecimal(values.get(0))) <= 0;
            case MIN -> number(first).compareTo(new BigDecimal(values.get(0))) >= 0;
            case SET -> true;
            case EXCLUDES -> {
                Set<String> given = new HashSet<>(List.of(actual.toLowerCase(Locale.ROOT).split("[,\\s]+")));
                yield values.stream().noneMatch(v -> given.contains(v.toLowerCase(Locale.ROOT)));
            }
        };
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.replaceAll("[smhdSMHD]$", "")); // sshd time values such as 60s
        } catch (NumberFormatException e) {
            throw new Undecidable("not a number: " + s);
        }
    }

    /** A kernel module that cannot load: {@code install NAME /bin/false} (or true), blacklisted, and not loaded. */
    record ModuleDisabled(String module) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            boolean install = false;
            boolean blacklist = false;
            String alt = module.replace('-', '_');
            for (String line : host.modprobe()) {
                String[] f = line.strip().split("\\s+");
                if (f.length >= 3 && f[0].equals("install") && (f[1].equals(module) || f[1].equals(alt))
                        && f[2].matches("(/usr)?/bin/(false|true)")) {
                    install = true;
                }
                if (f.length >= 2 && f[0].equals("blacklist") && (f[1].equals(module) || f[1].equals(alt))) {
                    blacklist = true;
                }
            }
            String modules = host.text("/proc/modules");
            boolean loaded = modules != null && Pattern.compile("(?m)^" + Pattern.quote(alt) + " ").matcher(modules)
                    .find();
            return Verdict.of(install && blacklist && !loaded, (loaded ? "loaded; " : "") + (install ? ""
                    : "no 'install " + module + " /bin/false'; ") + (blacklist ? "" : "not blacklisted"));
        }
    }

    record PackageInstalled(String name, boolean wanted) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            boolean is = host.installed(name);
            return Verdict.of(is == wanted, name + (is ? " is installed" : " is not installed"));
        }
    }

    /** A kernel parameter, running (/proc/sys) and as the boot sets it (sysctl.conf, sysctl.d). */
    record Sysctl(String key, String value) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            String running = host.running(key);
            String configured = host.sysctl().get(key);
            return Verdict.of(value.equals(running) && value.equals(configured),
                    key + " is " + running + " (configured: " + (configured == null ? "not set" : configured) + ")");
        }
    }

    /** A separate file system mounted on {@code path}. */
    record Mounted(String path) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            return Verdict.of(host.mounts().stream().anyMatch(m -> m[1].equals(path)), path + " is not a separate"
                    + " file system");
        }
    }

    /**
     * A mount option on {@code path} where it is a separate file system (elsewhere the check does not apply): in
     * the running mounts (/proc/mounts, the last mount on the path) and in its /etc/fstab entry, if it has one (what
     * the next boot mounts).
     */
    record MountOption(String path, String option) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            String[] last = null;
            for (String[] m : host.mounts()) {
                if (m[1].equals(path)) {
                    last = m;
                }
            }
            if (last != null && !List.of(last[3].split(",")).contains(option)) {
                return Verdict.fail(path + " is mounted with " + last[3]);
            }
            for (String[] entry : host.fstab()) {
                if (entry[1].equals(path) && !List.of(entry[3].split(",")).contains(option)) {
                    return Verdict.fail("/etc/fstab mounts " + path + " with " + entry[3]);
                }
            }
            return Verdict.PASS;
        }
    }

    /**
     * Permissions no wider than {@code maxMode}, and the owner and group named (those given), for the file or every
     * file a glob names; a missing file passes only {@code ifExists}.
     */
    record FileMode(String path, int maxMode, String owner, String group, boolean ifExists) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            List<String> files = path.contains("*") ? host.glob(path) : List.of(path);
            for (String file : files) {
                HostFacts.Stat s = host.stat(file);
                if (s == null) {
                    if (ifExists) {
                        continue;
                    }
                    return Verdict.fail(file + " does not exist");
                }
                boolean ok = (s.mode() & ~maxMode) == 0 && (owner == null || s.uid() == host.uid(owner))
                        && (group == null || s.gid() == host.gid(group));
                if (!ok) {
                    return Verdict.fail(String.format("%s is %04o uid %d gid %d", file, s.mode(), s.uid(), s.gid()));
                }
            }
            return Verdict.PASS;
        }
    }

    /** Text matching {@code pattern} (multi-line) in one of the files, or ({@code present} false) in none. */
    record FileContent(List<String> paths, String pattern, boolean present, String sample) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            Pattern p = Pattern.compile(pattern, Pattern.MULTILINE);
            for (String glob : paths) {
                for (String file : host.glob(glob)) {
                    String text = host.text(file);
                    if (text != null && p.matcher(text).find()) {
                        return present ? Verdict.PASS : Verdict.fail(file + " has what it must not: " + pattern);
                    }
                }
            }
            return present ? Verdict.fail("no " + pattern + " in " + paths) : Verdict.PASS;
        }
    }

    /** An sshd setting's effective value (the default where unset). */
    record Sshd(String key, Op op, List<String> values, String defaultValue) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            String actual = host.sshd().getOrDefault(key.toLowerCase(Locale.ROOT), defaultValue);
            return Verdict.of(compare(actual, op, values), key + " is " + (actual == null ? "not set" : actual));
        }
    }

    record LoginDefs(String key, Op op, List<String> values) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            String actual = host.loginDefs().get(key);
            return Verdict.of(actual != null && compare(actual, op, values), key + " is " + (actual == null
                    ? "not set" : actual));
        }
    }

    /** A property of the account databases (passwd, shadow, group), named. */
    record Accounts(String property) implements Predicate {
        @Override
        public Verdict test(HostFacts host) {
            return AccountChecks.test(property, host);
        }
    }

    static Map<String, Op> ops() {
        return Map.of("in", Op.IN, "not_in", Op.NOT_IN, "max", Op.MAX, "min", Op.MIN, "excludes", Op.EXCLUDES,
                "set", Op.SET);
    }
}
