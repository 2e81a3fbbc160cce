package io.microagent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostPathsTest {
    @Test
    void hostPathsResolveUnderTheRoot() {
        HostPaths host = new HostPaths(Path.of("/srv/container-root"));
        assertEquals(Path.of("/srv/container-root/proc/1/cmdline"), host.resolve("/proc/1/cmdline"));
        assertEquals(Path.of("/srv/container-root/etc/passwd"), host.resolve("etc/passwd"));
        assertEquals(Path.of("/srv/container-root/etc/shadow"), host.resolve("/../../etc/shadow"));
        assertEquals(Path.of("/proc/self/stat"), new HostPaths(Path.of("/")).resolve("/proc/self/stat"));
    }
}
