package io.microagent.collect.network;

import java.util.concurrent.atomic.AtomicLong;

/** What the network sources met besides connections: reported in status, never silently lost. */
final class ConnectionCounters {
    /** Connections counted (each once, when first seen). */
    final AtomicLong connections = new AtomicLong();
    /** sock_diag messages that could not be parsed and were skipped. */
    final AtomicLong malformed = new AtomicLong();
    /** Times the kernel dropped destroy broadcasts because the agent's socket buffer was full. */
    final AtomicLong overflows = new AtomicLong();
    /** Connections on interfaces that NetworkActivity_Devices leaves out. */
    final AtomicLong filtered = new AtomicLong();
    /** Open connections no longer tracked because the table of open ones was full (their close counts again). */
    final AtomicLong untracked = new AtomicLong();
    /** Window-close dumps that failed. */
    final AtomicLong failedDumps = new AtomicLong();
}
