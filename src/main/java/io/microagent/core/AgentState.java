package io.microagent.core;

import io.microagent.linux.PrivateFiles;
import io.microagent.linux.RandomUuid;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The agent's directory for what must survive a restart: its AgentId now, file offsets and unsent messages
 * later. Created readable by its owner only. Without a writable directory the agent still runs, with an
 * AgentId that lasts until the JVM exits.
 */
public final class AgentState {
    static final String ID_FILE = "agent-id";

    private final Path directory;
    private final String agentId;

    private AgentState(Path directory, String agentId) {
        this.directory = directory;
        this.agentId = agentId;
    }

    /** @param configured {@code Agent_StateDirectory}, or {@code null} for the default */
    public static AgentState open(Path configured, Map<String, String> environment, AgentLog log) {
        List<Path> candidates = configured != null ? List.of(configured) : defaults(environment);
        for (Path dir : candidates) {
            Optional<String> id = idIn(dir, log);
            if (id.isPresent()) {
                return new AgentState(dir, id.get());
            }
        }
        log.warning("no writable state directory (tried " + candidates + "; set Agent_StateDirectory): "
                + "the AgentId changes at every restart");
        return new AgentState(null, RandomUuid.next().toString());
    }

    public String agentId() {
        return agentId;
    }

    /** The directory, when there is one. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** Root uses /var/lib; a user uses $XDG_STATE_HOME or ~/.local/state; the temporary directory last. */
    static List<Path> defaults(Map<String, String> environment) {
        List<Path> dirs = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            dirs.add(Path.of("/var/lib/iot-micro-agent"));
        }
        String xdg = environment.get("XDG_STATE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            dirs.add(Path.of(xdg, "iot-micro-agent"));
        }
        String home = System.getProperty("user.home");
        if (home != null && home.startsWith("/")) {
            dirs.add(Path.of(home, ".local", "state", "iot-micro-agent"));
        }
        dirs.add(Path.of(System.getProperty("java.io.tmpdir"), "iot-micro-agent-" + System.getProperty("user.name")));
        return dirs;
    }

    private static Optional<String> idIn(Path dir, AgentLog log) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path file = dir.resolve(ID_FILE);
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8).trim();
                try {
                    return Optional.of(UUID.fromString(text).toString());
                } catch (IllegalArgumentException e) {
                    log.warning(file + " does not hold a UUID; a new AgentId replaces it");
                }
            }
            String id = RandomUuid.next().toString();
            PrivateFiles.replace(file, (id + "\n").getBytes(StandardCharsets.UTF_8));
            return Optional.of(id);
        } catch (IOException | RuntimeException e) {
            log.debug(() -> "state directory " + dir + " is not usable: " + e);
            return Optional.empty();
        }
    }
}
