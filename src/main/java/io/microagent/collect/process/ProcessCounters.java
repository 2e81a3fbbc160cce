package io.microagent.collect.process;

import java.util.concurrent.atomic.AtomicLong;

/** What the process sources met besides executions: reported in status and logs, never silently lost. */
final class ProcessCounters {
    /** Executions whose process was gone (or reused) before /proc could be read: counted, empty command line. */
    final AtomicLong unread = new AtomicLong();
    /** Executions of a process that exec'd again before it was read: counted, empty command line. */
    final AtomicLong ambiguous = new AtomicLong();
    /** Kernel messages that could not be parsed and were skipped. */
    final AtomicLong malformed = new AtomicLong();
    /** Times the kernel dropped events because the agent's socket buffer was full. */
    final AtomicLong overflows = new AtomicLong();
}
