package io.microagent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentLogTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    AgentLog log(LogLevel level) {
        return new AgentLog(level, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @Test
    void linesArePrefixedAndFilteredByLevel() {
        AgentLog log = log(LogLevel.WARNING);
        log.error("e");
        log.warning("w\nsecond line");
        log.info("i");
        log.debug(() -> "d");
        assertEquals("[iot-micro-agent] error: e\n[iot-micro-agent] warning: w second line\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void offIsSilentAndDebugShowsAll() {
        AgentLog off = log(LogLevel.OFF);
        off.error("e");
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        AgentLog debug = log(LogLevel.DEBUG);
        debug.debug(() -> "d");
        debug.log(System.Logger.Level.INFO, "x={0}", 5);
        assertEquals("[iot-micro-agent] debug: d\n[iot-micro-agent] info: x=5\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
