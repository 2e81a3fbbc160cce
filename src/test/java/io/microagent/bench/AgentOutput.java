package io.microagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The agent's Output_File as the benchmarks read it. */
final class AgentOutput {
    private AgentOutput() {
    }

    /** Hands every ProcessCreate payload of {@code file} (JSON lines, one security message each) to {@code payload}. */
    static void processCreates(Path file, Consumer<JsonNode> payload) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        for (String line : Files.readAllLines(file)) {
            for (JsonNode event : mapper.readTree(line).get("Events")) {
                if (event.get("Name").asText().equals("ProcessCreate")) {
                    event.get("Payload").forEach(payload);
                }
            }
        }
    }
}
