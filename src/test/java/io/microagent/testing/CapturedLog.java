package io.microagent.testing;

import io.microagent.log.AgentLog;
import io.microagent.log.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** An {@link AgentLog} whose lines a test can read. */
public final class CapturedLog {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(LogLevel.DEBUG, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    public AgentLog log() {
        return log;
    }

    public List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
