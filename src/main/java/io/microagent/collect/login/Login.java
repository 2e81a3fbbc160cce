package io.microagent.collect.login;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.microagent.event.Timestamps;
import java.time.Instant;

/** The Login payload of ../shared/reference/message-schema.md: one sign-in, sign-out or failed sign-in. */
@JsonPropertyOrder({"Timestamp", "Operation", "ProcessId", "UserName", "Executable", "RemoteAddress", "Source"})
public record Login(@JsonIgnore Instant time, @JsonProperty("Operation") String operation,
        @JsonProperty("ProcessId") Integer processId, @JsonProperty("UserName") String userName,
        @JsonProperty("Executable") String executable, @JsonProperty("RemoteAddress") String remoteAddress,
        @JsonProperty("Source") String source) {
    public static final String LOGIN = "Login";
    public static final String LOGOUT = "Logout";
    public static final String FAILED = "LoginFailed";
    /** What a sign-in at the device itself (a console, no remote end) reports as its address. */
    public static final String LOCAL = "127.0.0.1";

    @JsonProperty("Timestamp")
    public String timestamp() {
        return Timestamps.utc(time);
    }
}
