package io.microagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStateTest {
    @TempDir
    Path dir;
    final CapturedLog log = new CapturedLog();

    @Test
    void theAgentIdSurvivesARestart() throws IOException {
        Path state = dir.resolve("state");
        String first = AgentState.open(state, Map.of(), log.log()).agentId();
        UUID.fromString(first);
        assertEquals(first, AgentState.open(state, Map.of(), log.log()).agentId());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals(first, Files.readString(state.resolve(AgentState.ID_FILE)).trim());
    }

    @Test
    void aGarbledIdFileIsReplacedWithAWarning() throws IOException {
        Files.writeString(dir.resolve(AgentState.ID_FILE), "\u0000garbage");
        String id = AgentState.open(dir, Map.of(), log.log()).agentId();
        UUID.fromString(id);
        assertEquals(id, Files.readString(dir.resolve(AgentState.ID_FILE)).trim());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("does not hold a UUID")), log.lines().toString());
    }

    @Test
    void withoutAWritableDirectoryTheAgentRunsWithAnIdForThisRun() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        AgentState state = AgentState.open(file.resolve("below-a-file"), Map.of(), log.log());
        UUID.fromString(state.agentId());
        assertTrue(state.directory().isEmpty());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("set Agent_StateDirectory")), log.lines().toString());
        assertNotEquals(state.agentId(), AgentState.open(file.resolve("x"), Map.of(), log.log()).agentId());
    }

    @Test
    void defaultsPreferXdgStateHomeForUsers() {
        assertTrue(AgentState.defaults(Map.of("XDG_STATE_HOME", "/home/u/.state"))
                .contains(Path.of("/home/u/.state/iot-micro-agent")));
        assertTrue(AgentState.defaults(Map.of()).get(AgentState.defaults(Map.of()).size() - 1).toString()
                .startsWith(System.getProperty("java.io.tmpdir")));
    }
}
