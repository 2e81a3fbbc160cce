package io.microagent.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Tests on real kernel interfaces need root: they skip on a developer's unprivileged run, never under CI=true. */
public final class KernelTests {
    private KernelTests() {
    }

    public static void requireRoot() {
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("this test needs root, and CI runs as root: a skip here would hide a failure");
        }
        assumeTrue(false, "needs root (runs under CI)");
    }
}
