package io.microagent.collect.process;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The kernel's audit configuration as text (enabled flag, backlog limit, daemon pid, rules), for before/after checks. */
public final class AuditSnapshot {
    private AuditSnapshot() {
    }

    public static String take() throws Exception {
        try (AuditControl control = new AuditControl(List.of(), Optional.empty())) {
            AuditStatus status = control.status();
            StringBuilder text = new StringBuilder("enabled=" + status.enabled() + " backlog_limit="
                    + status.backlogLimit() + " pid=" + status.pid());
            for (byte[] rule : control.listRules()) {
                text.append("\nrule ").append(HexFormat.of().formatHex(rule));
            }
            return text.toString();
        }
    }
}
