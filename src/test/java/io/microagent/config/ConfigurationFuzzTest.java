package io.microagent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Agent arguments, -D properties, environment variables and the configuration file, fuzzed: never a throw. */
class ConfigurationFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void agentArguments(@NotNull String arguments) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<RawValue> values = AgentArguments.parse(arguments, problems);
        assertTrue(values.size() <= arguments.length() / 2 + 1);
    }

    /** Whatever the sources say, every key has a value in force and every problem is one line. */
    @FuzzTest(maxDuration = "2m")
    void everySource(FuzzedDataProvider data) {
        // Process_RedactPatterns takes regular expressions by design (a bad one is a problem line, tested in
        // ConfigurationTest); Jazzer's regex-injection sanitizer would report every invalid one.
        String key = data.pickValue(Settings.all().stream().filter(s -> !s.key().equals("Process_RedactPatterns"))
                .toList()).key();
        Configuration c = Configuration.load(noPatterns(data.consumeString(300)), Map.of("microagent." + key,
                data.consumeString(100)), Map.of("MICROAGENT_" + key, data.consumeRemainingAsString()));
        Settings.all().forEach(s -> assertTrue(c.get(s) != null || s.defaultText() == null
                || s.defaultText().isEmpty(), s.key()));
        c.problems().forEach(p -> assertTrue(!p.line().isEmpty()));
    }

    private static String noPatterns(String arguments) {
        return arguments.replaceAll("(?i)RedactPatterns", "RedactSecrets");
    }

    @FuzzTest(maxDuration = "2m")
    void configFile(@NotNull byte[] content) throws IOException {
        Path file = Files.createTempFile("fuzz-config-", ".json");
        try {
            Files.write(file, content);
            List<ConfigProblem> problems = new ArrayList<>();
            List<RawValue> values = ConfigFile.read(file, new RawValue("Config_File", file.toString(),
                    ConfigSource.ARGUMENTS), problems);
            assertTrue(values.isEmpty() || problems.stream().noneMatch(p -> p.key().equals("Config_File")
                    && p.value().equals(file.toString())), "a file is read whole or refused whole");
        } finally {
            Files.delete(file);
        }
    }
}
