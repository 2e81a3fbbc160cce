package io.microagent.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Listeners for tests that watch connections. */
public final class Ports {
    private Ports() {
    }

    /**
     * A listener on a port below the kernel's ephemeral range, where servers listen (a listener on an ephemeral
     * port is found by a refresh at most every 100 ms: see ConnectionCollector#listening).
     */
    public static ServerSocket serverBelowEphemeralRange(InetAddress address) throws IOException {
        for (int port = 20000 + (int) (ProcessHandle.current().pid() * 7 % 10000); port < 32768; port++) {
            try {
                return new ServerSocket(port, 50, address);
            } catch (BindException taken) {
                // the next one
            }
        }
        throw new IOException("no free port below the ephemeral range");
    }
}
