package io.microagent.collect.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** sshd_config (with Include), sysctl files and the CIS content format, fuzzed. */
class BaselineParsersFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void sshdConfig(FuzzedDataProvider data) {
        String main = data.consumeString(2048);
        String included = data.consumeRemainingAsString();
        try {
            Map<String, String> values = SshdConfig.effective("/etc/ssh/sshd_config",
                    path -> path.equals("/etc/ssh/sshd_config") ? main : included,
                    pattern -> List.of("/etc/ssh/sshd_config.d/a.conf", "/etc/ssh/sshd_config.d/b.conf"));
            assertTrue(values.size() <= main.length() + included.length());
        } catch (Undecidable declared) {
            // an Include loop or nesting deeper than sshd allows: the check is an Error, not a crash
        }
    }

    @FuzzTest(maxDuration = "2m")
    void sysctlFiles(FuzzedDataProvider data) {
        Map<String, String> values = SysctlConfig.effective(List.of(data.consumeString(2048),
                data.consumeRemainingAsString()));
        values.keySet().forEach(k -> assertTrue(!k.contains(" ")));
    }

    @FuzzTest(maxDuration = "2m")
    void benchmarkContent(@NotNull byte[] json) {
        Object root;
        try {
            root = Json.read(json);
        } catch (IOException notJson) {
            return;
        }
        try {
            Benchmark b = Benchmark.parse(root);
            assertTrue(b.checks() != null);
        } catch (IllegalArgumentException declared) {
            // content that does not follow the format is refused as a whole, with the reason
        }
    }
}
