package io.microagent.collect.process;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.microagent.json.Tree;
import java.util.ArrayList;
import java.util.List;

/**
 * What Audit mode changed on the host, to be put back: the enabled flag and backlog limit it found (null when
 * left alone), the rules it added (by ABI), and whether it registered as the audit daemon. Kept in the state
 * directory while the agent runs, so a run that was killed is put right by the next.
 */
record AuditChanges(@JsonProperty("enabledBefore") Integer enabledBefore,
        @JsonProperty("backlogLimitBefore") Integer backlogLimitBefore,
        @JsonProperty("rulesAdded") List<String> rulesAdded, @JsonProperty("registered") boolean registered) {

    static final AuditChanges NONE = new AuditChanges(null, null, List.of(), false);

    /** As {@link io.microagent.json.Json#write} wrote it; a field missing is as if nothing was changed there. */
    static AuditChanges of(Object json) {
        List<String> rules = new ArrayList<>();
        Tree.array(Tree.get(json, "rulesAdded")).forEach(r -> rules.add(Tree.asText(r)));
        return new AuditChanges(integer(Tree.get(json, "enabledBefore")),
                integer(Tree.get(json, "backlogLimitBefore")), List.copyOf(rules),
                Boolean.TRUE.equals(Tree.get(json, "registered")));
    }

    private static Integer integer(Object node) {
        return node == null ? null : (int) Tree.asLong(node, 0);
    }

    boolean any() {
        return enabledBefore != null || backlogLimitBefore != null || !rulesAdded.isEmpty() || registered;
    }

    String describe() {
        StringBuilder s = new StringBuilder();
        if (enabledBefore != null) {
            s.append("enabled audit (was ").append(enabledBefore).append("); ");
        }
        if (backlogLimitBefore != null) {
            s.append("raised backlog_limit from ").append(backlogLimitBefore).append("; ");
        }
        if (!rulesAdded.isEmpty()) {
            s.append("added execve rules ").append(rulesAdded).append(" (key ").append(AuditRule.KEY).append("); ");
        }
        if (registered) {
            s.append("registered as the audit daemon (none ran); ");
        }
        return s.length() == 0 ? "changed nothing" : s.substring(0, s.length() - 2);
    }
}
