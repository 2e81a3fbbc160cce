package io.microagent.testing;

import io.microagent.aggregate.Identity;
import java.time.Instant;

/** A process execution as tests and benchmarks use it, identified as the micro agent did: command line and uid. */
public record Exec(String commandLine, int uid, long pid, Instant time) {
    public static final Identity<Exec> COMMAND_AND_UID = new Identity<>() {
        @Override
        public int hash(Exec e) {
            return e.commandLine().hashCode() * 31 + e.uid();
        }

        @Override
        public boolean same(Exec a, Exec b) {
            return a.uid() == b.uid() && a.commandLine().equals(b.commandLine());
        }
    };
}
