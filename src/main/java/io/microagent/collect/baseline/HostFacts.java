package io.microagent.collect.baseline;

import io.microagent.collect.sbom.SoftwarePackage;
import io.microagent.collect.sbom.StatusFile;
import io.microagent.linux.HostPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's files as the checks read them, under {@code Agent_HostRoot}, each read once per scan: texts, modes
 * and owners, the account databases, installed packages, sshd's, login.defs' and sysctl's effective values,
 * mounts and kernel modules. Nothing is executed.
 */
final class HostFacts {
    /** A file's owner and permission bits. */
    record Stat(int mode, int uid, int gid) {
    }

    private final HostPaths host;
    private final Map<String, String> texts = new HashMap<>();
    private Map<String, String> sshd;
    private Map<String, String> loginDefs;
    private Map<String, String> sysctl;
    private Set<String> installed;
    private List<String[]> mounts;

    HostFacts(HostPaths host) {
        this.host = host;
    }

    /** The file's text, or null when it does not exist; unreadable: {@link Undecidable}. */
    String text(String path) {
        if (texts.containsKey(path)) {
            return texts.get(path);
        }
        String text;
        try {
            Path p = host.resolve(path);
            if (Files.size(p) > 4 << 20) {
                throw new Undecidable(path + " is larger than 4 MiB");
            }
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            text = null;
        } catch (AccessDeniedException e) {
            throw new Undecidable("cannot read " + path + ": permission denied");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new Undecidable("cannot read " + path + ": " + e.getMessage());
        }
        texts.put(path, text);
        return text;
    }

    String required(String path) {
        String text = text(path);
        if (text == null) {
            throw new Undecidable(path + " does not exist");
        }
        return text;
    }

    /** Mode and owner, not following a final symbolic link; null when the file does not exist. */
    Stat stat(String path) {
        try {
            Path p = host.resolve(path);
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            return new Stat((Integer) a.get("mode") & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            throw new Undecidable("cannot read the attributes of " + path + ": " + e.getMessage());
        }
    }

    /** The regular files a glob with {@code *} in its last part names, in lexical order (absolute paths). */
    List<String> glob(String pattern) {
        int slash = pattern.lastIndexOf('/');
        String dir = pattern.substring(0, Math.max(1, slash));
        String name = pattern.substring(slash + 1);
        if (!name.contains("*") && !name.contains("?")) {
            return text(pattern) == null ? List.of() : List.of(pattern);
        }
        String regex = name.replace(".", "\\.").replace("?", ".").replace("*", ".*");
        try (Stream<Path> list = Files.list(host.resolve(dir))) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.matches(regex))
                    .sorted().map(n -> (dir.equals("/") ? "" : dir) + "/" + n).toList();
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw new Undecidable("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** Lines of passwd, group or shadow split at ':' (comments and blank lines left out). */
    List<String[]> table(String path) {
        List<String[]> rows = new ArrayList<>();
        for (String line : required(path).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                rows.add(line.split(":", -1));
            }
        }
        return rows;
    }

    /** The uid of a user name, from the host's passwd. */
    int uid(String user) {
        for (String[] row : table("/etc/passwd")) {
            if (row[0].equals(user) && row.length > 2) {
                return Integer.parseInt(row[2]);
            }
        }
        throw new Undecidable("no user " + user + " in /etc/passwd");
    }

    int gid(String group) {
        for (String[] row : table("/etc/group")) {
            if (row[0].equals(group) && row.length > 2) {
                return Integer.parseInt(row[2]);
            }
        }
        throw new Undecidable("no group " + group + " in /etc/group");
    }

    boolean installed(String name) {
        if (installed == null) {
            installed = new HashSet<>();
            String status = text("/var/lib/dpkg/status");
            if (status == null) {
                throw new Undecidable("no dpkg database (/var/lib/dpkg/status)");
            }
            StatusFile.parse(status, "deb").packages().stream().map(SoftwarePackage::name).forEach(installed::add);
        }
        return installed.contains(name);
    }

    Map<String, String> sshd() {
        if (sshd == null) {
            sshd = SshdConfig.effective("/etc/ssh/sshd_config", this::required, this::glob);
        }
        return sshd;
    }

    Map<String, String> loginDefs() {
        if (loginDefs == null) {
            loginDefs = new LinkedHashMap<>();
            for (String raw : required("/etc/login.defs").split("\n")) {
                String line = raw.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    String[] kv = line.split("\\s+", 2);
                    loginDefs.put(kv[0], kv.length > 1 ? kv[1].strip() : "");
                }
            }
        }
        return loginDefs;
    }

    Map<String, String> sysctl() {
        if (sysctl == null) {
            Map<String, String> byName = new LinkedHashMap<>();
            for (String dir : SysctlConfig.DIRECTORIES) {
                for (String file : glob(dir + "/*.conf")) {
                    byName.putIfAbsent(file.substring(file.lastIndexOf('/') + 1), file);
                }
            }
            List<String> texts = new ArrayList<>();
            byName.keySet().stream().sorted().forEach(n -> texts.add(text(byName.get(n))));
            String main = text("/etc/sysctl.conf");
            if (main != null) {
                texts.add(main);
            }
            texts.removeIf(t -> t == null);
            sysctl = SysctlConfig.effective(texts);
        }
        return sysctl;
    }

    /** The running value of a kernel parameter, from /proc/sys. */
    String running(String key) {
        String text = text("/proc/sys/" + key.replace('.', '/'));
        if (text == null) {
            throw new Undecidable("no /proc/sys/" + key.replace('.', '/'));
        }
        return text.strip().replaceAll("\\s+", " ");
    }

    /** /proc/mounts rows: device, mount point, type, options. */
    List<String[]> mounts() {
        if (mounts == null) {
            mounts = new ArrayList<>();
            for (String line : required("/proc/mounts").split("\n")) {
                String[] f = line.split(" ");
                if (f.length >= 4) {
                    mounts.add(f);
                }
            }
        }
        return mounts;
    }

    /** /etc/fstab rows (device, mount point, type, options); no fstab is no rows. */
    List<String[]> fstab() {
        List<String[]> rows = new ArrayList<>();
        String text = text("/etc/fstab");
        for (String line : text == null ? new String[0] : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && !f[0].startsWith("#")) {
                rows.add(f);
            }
        }
        return rows;
    }

    /** Lines of every modprobe configuration file. */
    List<String> modprobe() {
        List<String> lines = new ArrayList<>();
        for (String dir : List.of("/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                "/usr/lib/modprobe.d", "/lib/modprobe.d")) {
            for (String file : glob(dir + "/*.conf")) {
                String text = text(file);
                if (text != null) {
                    lines.addAll(List.of(text.split("\n")));
                }
            }
        }
        return lines;
    }
}
