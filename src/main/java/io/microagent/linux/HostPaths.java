package io.microagent.linux;

import java.nio.file.Path;

/**
 * Every host path the agent reads goes through here, so {@code Agent_HostRoot} can point the agent at a
 * container's root or at a test's fixture tree.
 */
public final class HostPaths {
    private final Path root;

    public HostPaths(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** {@code /proc/1/cmdline} under the host root. A path that climbs out of the root with ".." stays inside it. */
    public Path resolve(String absolute) {
        Path relative = Path.of("/").relativize(Path.of("/").resolve(absolute).normalize());
        return root.resolve(relative);
    }
}
