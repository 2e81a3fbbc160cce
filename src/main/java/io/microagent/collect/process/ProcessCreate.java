package io.microagent.collect.process;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.microagent.aggregate.Aggregate;
import io.microagent.event.Timestamps;

/** The ProcessCreate payload of ../shared/reference/message-schema.md. */
@JsonPropertyOrder({"Timestamp", "ProcessId", "ParentProcessId", "CommandLine", "Executable", "UserId", "UserName",
        "Type", "HitCount"})
public record ProcessCreate(@JsonProperty("Timestamp") String timestamp, @JsonProperty("ProcessId") int processId,
        @JsonProperty("ParentProcessId") Integer parentProcessId, @JsonProperty("CommandLine") String commandLine,
        @JsonProperty("Executable") String executable, @JsonProperty("UserId") Integer userId,
        @JsonProperty("UserName") String userName, @JsonProperty("Type") String type,
        @JsonProperty("HitCount") long hitCount) {

    /** The payload of a window's aggregate: its first execution and how many there were. */
    public static ProcessCreate of(Aggregate<ProcessExecution> aggregate) {
        ProcessExecution e = aggregate.first();
        return new ProcessCreate(Timestamps.utc(e.time()), e.pid(), e.parentPid(), e.commandLine(), e.executable(),
                e.uid(), e.userName(), e.type(), aggregate.hitCount());
    }
}
