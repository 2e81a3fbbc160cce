package io.microagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteSectionTest {

    @TempDir
    Path dir;

    static Object section(String json) throws Exception {
        return Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theTwinWinsOverTheConfigFileAndTheDeviceWinsOverTheTwin() throws Exception {
        Path file = dir.resolve("agent.json");
        Files.writeString(file, "{\"Process_CacheSize\": 300, \"NetworkActivity_CacheSize\": 301}");
        Configuration device = Configuration.load("Config_File=" + file + ",Login_Disabled=false",
                Map.of("microagent.Baseline_Disabled", "true"), Map.of());
        RemoteSection twin = RemoteSection.check(section("{\"Process_CacheSize\": 512, \"Login_Disabled\": true,"
                + " \"Baseline_Disabled\": false, \"$version\": 4}"), 4, Map.of(), device);
        Configuration config = device.withTwin(twin.values());
        assertEquals(512, config.get(Settings.PROCESS_CACHE_SIZE), "the twin over Config_File");
        assertEquals(ConfigSource.Kind.TWIN, config.source(Settings.PROCESS_CACHE_SIZE).kind());
        assertEquals("device twin desired iotMicroAgent ($version 4)", config.source(Settings.PROCESS_CACHE_SIZE)
                .toString());
        assertEquals(301, config.get(Settings.NETWORK_CACHE_SIZE), "what the twin leaves, Config_File still sets");
        assertEquals(false, config.get(Settings.LOGIN.disabled()), "agent arguments over the twin");
        assertEquals(true, config.get(Settings.BASELINE.disabled()), "a system property over the twin");
        assertEquals(List.of("Login_Disabled", "Baseline_Disabled"), twin.pinned());
        assertEquals(List.of(), twin.invalid());
    }

    @Test
    void aRefusedValueLeavesItsKeyAsItWasAndSaysWhy() throws Exception {
        Configuration device = Configuration.defaults();
        RemoteSection before = RemoteSection.check(section("{\"Process_CacheSize\": 512}"), 2, Map.of(), device);
        RemoteSection after = RemoteSection.check(section("{\"Process_CacheSize\": \"lots\", \"Output_File\":"
                + " \"/tmp/x\", \"Proces_CacheSize\": 5, \"FileSystem_Disabled\": true, \"Process_Mode\": {\"a\": 1}}"),
                3, before.accepted(), device);
        assertEquals(Map.of("Process_CacheSize", "512"), after.accepted(), "as it was");
        assertEquals(512, device.withTwin(after.values()).get(Settings.PROCESS_CACHE_SIZE));
        List<String> reasons = after.invalid().stream().map(i -> i.key() + "=" + i.value() + ": " + i.reason())
                .toList();
        assertEquals(5, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).startsWith("Process_CacheSize=lots: is not accepted: expected a whole number"),
                reasons.get(0));
        assertEquals("Output_File=/tmp/x: is set on the device only", reasons.get(1));
        assertEquals("Proces_CacheSize=5: is not a known key (did you mean Process_CacheSize?)", reasons.get(2));
        assertEquals("FileSystem_Disabled=true: belongs to a micro agent collector this agent does not have",
                reasons.get(3));
        assertEquals("Process_Mode={\"a\":1}: must be a value or a list of values, not an object", reasons.get(4));
    }

    @Test
    void listsMayBeJsonArraysAndDurationsTakeTheirUnits() throws Exception {
        RemoteSection twin = RemoteSection.check(section("{\"Baseline_ChecksDisabled\": [\"3.3.5\", \"2.2.1.1\"],"
                + " \"CollectorsCore_PriorityIntervals\": \"1s,1s,3s\", \"Process_MessageFrequency\": \"High\"}"), 9,
                Map.of(), Configuration.defaults());
        Configuration config = Configuration.defaults().withTwin(twin.values());
        assertEquals(List.of("3.3.5", "2.2.1.1"), config.get(Settings.BASELINE_CHECKS_DISABLED));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3)),
                config.get(Settings.PRIORITY_INTERVALS));
        assertEquals(List.of(), twin.invalid());
    }

    @Test
    void noSectionGivesTheDevicesOwnConfiguration() {
        Configuration device = Configuration.load("Process_CacheSize=9", Map.of(), Map.of());
        RemoteSection none = RemoteSection.check(null, 1, Map.of("Process_CacheSize", "512"), device);
        assertEquals(device.texts(), device.withTwin(none.values()).texts());
    }
}
