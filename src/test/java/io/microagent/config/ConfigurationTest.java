package io.microagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.collect.process.ProcessMode;
import io.microagent.log.LogLevel;
import io.microagent.output.IotHubOutputMode;
import io.microagent.schedule.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
    /** Found by fuzzing: @FILE deleted whatever it named (as root, -javaagent:...=@/etc/x would delete /etc/x). */
    @Test
    void anArgumentsFileIsDeletedOnlyWhenAttachWroteIt(@TempDir Path dir) throws IOException {
        Path mine = dir.resolve("device.args");
        Files.writeString(mine, "Process_CacheSize=512");
        assertEquals("512", Configuration.load("@" + mine, Map.of(), Map.of()).get(Settings.PROCESS_CACHE_SIZE)
                .toString());
        assertTrue(Files.exists(mine), "a file of the user's is read and left alone");
        Path attach = Files.createTempFile(AgentArguments.ARGUMENTS_FILE_PREFIX, ".txt");
        Files.writeString(attach, "Process_CacheSize=256");
        assertEquals("256", Configuration.load("@" + attach, Map.of(), Map.of()).get(Settings.PROCESS_CACHE_SIZE)
                .toString());
        assertTrue(Files.notExists(attach), "the attach command's file is deleted once read");
        Configuration garbled = Configuration.load("@a\0b", Map.of(), Map.of());
        assertEquals(1, garbled.problems().size(), "a NUL in the name is one problem, not a failed start");
    }

    @TempDir
    Path dir;

    @Test
    void everyKeyOfTheReferenceHasItsDefault() {
        Configuration c = Configuration.defaults();
        assertEquals(List.of(Duration.ofMinutes(30), Duration.ofMinutes(120), Duration.ofMinutes(1440)),
                c.get(Settings.PRIORITY_INTERVALS));
        assertEquals(Duration.ofMinutes(2880), c.get(Settings.MESSAGE_TIMEOUT));
        assertEquals(ProcessMode.AUTO, c.get(Settings.PROCESS_MODE));
        assertEquals(Duration.ofMillis(100), c.get(Settings.PROCESS_POLLING_INTERVAL));
        assertEquals(256, c.get(Settings.PROCESS_CACHE_SIZE));
        assertEquals(256, c.get(Settings.NETWORK_CACHE_SIZE));
        assertNull(c.get(Settings.NETWORK_DEVICES));
        assertEquals(false, c.get(Settings.LOGIN_USE_PAM));
        for (CollectorKeys keys : List.of(Settings.PROCESS, Settings.NETWORK, Settings.LOGIN)) {
            assertEquals(false, c.get(keys.disabled()), keys.prefix());
            assertEquals(Priority.MEDIUM, c.get(keys.frequency()), keys.prefix());
        }
        for (CollectorKeys keys : List.of(Settings.SYSTEM_INFORMATION, Settings.BASELINE, Settings.SBOM,
                Settings.HEARTBEAT)) {
            assertEquals(false, c.get(keys.disabled()), keys.prefix());
            assertEquals(Priority.LOW, c.get(keys.frequency()), keys.prefix());
        }
        for (Setting<?> unset : List.of(Settings.HARDWARE_VENDOR, Settings.HARDWARE_MODEL, Settings.HARDWARE_SERIAL,
                Settings.FIRMWARE_VENDOR, Settings.FIRMWARE_VERSION, Settings.BASELINE_GROUPS_DISABLED,
                Settings.BASELINE_CHECKS_DISABLED, Settings.CONFIG_FILE, Settings.OUTPUT_FILE, Settings.OUTPUT_IOTHUB_DEVICE,
                Settings.STATE_DIRECTORY)) {
            assertNull(c.get(unset), unset.key());
        }
        assertEquals(IotHubOutputMode.AUTO, c.get(Settings.OUTPUT_IOTHUB));
        assertEquals(false, c.get(Settings.OUTPUT_STDOUT));
        assertEquals(Path.of("/"), c.get(Settings.HOST_ROOT));
        assertEquals(List.of("/var/log/auth.log", "/var/log/secure"), c.get(Settings.AUTH_LOG_PATHS));
        assertEquals(LogLevel.INFO, c.get(Settings.LOG_LEVEL));
        assertTrue(c.problems().isEmpty());
        assertEquals(ConfigSource.DEFAULT, c.source(Settings.PROCESS_CACHE_SIZE));
    }

    @Test
    void everyKeyOfTheReferenceIsKnown() {
        List<String> keys = Settings.all().stream().map(Setting::key).toList();
        for (String key : List.of("CollectorsCore_PriorityIntervals", "IothubModule_MessageTimeout", "Process_Disabled",
                "Process_MessageFrequency", "Process_Mode", "Process_PollingInterval", "Process_CacheSize",
                "NetworkActivity_Disabled", "NetworkActivity_MessageFrequency", "NetworkActivity_Devices",
                "NetworkActivity_CacheSize", "Login_Disabled", "Login_MessageFrequency", "Login_UsePAM",
                "SystemInformation_Disabled", "SystemInformation_MessageFrequency", "SystemInformation_HardwareVendor",
                "SystemInformation_HardwareModel", "SystemInformation_HardwareSerialNumber",
                "SystemInformation_FirmwareVendor", "SystemInformation_FirmwareVersion", "Baseline_Disabled",
                "Baseline_MessageFrequency", "Baseline_GroupsDisabled", "Baseline_ChecksDisabled", "SBoM_Disabled",
                "SBoM_MessageFrequency", "Heartbeat_Disabled", "Heartbeat_MessageFrequency", "Config_File",
                "Output_IotHub", "Output_IotHubDevice", "Output_File", "Output_Stdout", "Agent_HostRoot", "Agent_StateDirectory",
                "Login_AuthLogPaths", "Agent_LogLevel", "Process_RedactSecrets", "Process_RedactPatterns",
                "Agent_RemoteConfiguration")) {
            assertTrue(keys.contains(key), key);
        }
        assertEquals(41, keys.size());
    }

    @Test
    void sourcesTakePrecedenceInOrder() throws IOException {
        Path file = write("{\"Process_CacheSize\": 1, \"NetworkActivity_CacheSize\": 2, \"Login_UsePAM\": true,"
                + " \"Heartbeat_MessageFrequency\": \"High\"}");
        Configuration c = Configuration.load("Process_CacheSize=10,Config_File=" + file,
                Map.of("microagent.Process_CacheSize", "20", "microagent.NetworkActivity_CacheSize", "21"),
                Map.of("MICROAGENT_Process_CacheSize", "30", "MICROAGENT_NetworkActivity_CacheSize", "31",
                        "MICROAGENT_Login_UsePAM", "false"));
        assertEquals(10, c.get(Settings.PROCESS_CACHE_SIZE));
        assertEquals(ConfigSource.ARGUMENTS, c.source(Settings.PROCESS_CACHE_SIZE));
        assertEquals(21, c.get(Settings.NETWORK_CACHE_SIZE));
        assertEquals("system property microagent.NetworkActivity_CacheSize",
                c.source(Settings.NETWORK_CACHE_SIZE).toString());
        assertEquals(false, c.get(Settings.LOGIN_USE_PAM));
        assertEquals("environment variable MICROAGENT_Login_UsePAM", c.source(Settings.LOGIN_USE_PAM).toString());
        assertEquals(Priority.HIGH, c.get(Settings.HEARTBEAT.frequency()));
        assertEquals("config file " + file, c.source(Settings.HEARTBEAT.frequency()).toString());
        assertTrue(c.problems().isEmpty(), c.problems().toString());
    }

    @Test
    void configFileCanBeNamedByEnvironmentAndTakesATwinsDesiredSection() throws IOException {
        Path file = write("{\"$version\": 7, \"Process_Disabled\": \"True\", \"Baseline_ChecksDisabled\":"
                + " [\"3.3.5\", \"2.2.1.1\"], \"$metadata\": {\"$lastUpdated\": \"x\"}, \"SBoM_Disabled\": null}");
        Configuration c = Configuration.load("", Map.of(), Map.of("MICROAGENT_Config_File", file.toString()));
        assertEquals(true, c.get(Settings.PROCESS.disabled()));
        assertEquals(List.of("3.3.5", "2.2.1.1"), c.get(Settings.BASELINE_CHECKS_DISABLED));
        assertEquals(false, c.get(Settings.SBOM.disabled()));
        assertTrue(c.problems().isEmpty(), c.problems().toString());
    }

    @Test
    void aSegmentWithoutEqualsContinuesTheValueBeforeIt() {
        Configuration c = Configuration.load(
                "CollectorsCore_PriorityIntervals=10s,30s,1m,Process_CacheSize=512,Baseline_GroupsDisabled="
                        + "Time Synchronization, Network Parameters Host", Map.of(), Map.of());
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1)),
                c.get(Settings.PRIORITY_INTERVALS));
        assertEquals(512, c.get(Settings.PROCESS_CACHE_SIZE));
        assertEquals(List.of("Time Synchronization", "Network Parameters Host"),
                c.get(Settings.BASELINE_GROUPS_DISABLED));
    }

    @Test
    void durationsTakeTheMicroAgentsUnitOrAnExplicitOne() {
        Configuration bare = Configuration.load("CollectorsCore_PriorityIntervals=1,2,3,IothubModule_MessageTimeout=5,"
                + "Process_PollingInterval=250000", Map.of(), Map.of());
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(3)),
                bare.get(Settings.PRIORITY_INTERVALS));
        assertEquals(Duration.ofMinutes(5), bare.get(Settings.MESSAGE_TIMEOUT));
        assertEquals(Duration.ofMillis(250), bare.get(Settings.PROCESS_POLLING_INTERVAL));
        Configuration units = Configuration.load("CollectorsCore_PriorityIntervals=500ms,10s,2h,"
                + "IothubModule_MessageTimeout=1d,Process_PollingInterval=50ms", Map.of(), Map.of());
        assertEquals(1, units.problems().size(), "500ms is under the 1s minimum");
        assertEquals(Duration.ofDays(1), units.get(Settings.MESSAGE_TIMEOUT));
        assertEquals(Duration.ofMillis(50), units.get(Settings.PROCESS_POLLING_INTERVAL));
        Configuration ok = Configuration.load("CollectorsCore_PriorityIntervals= 5s , 10s ,2h", Map.of(), Map.of());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofHours(2)),
                ok.get(Settings.PRIORITY_INTERVALS));
    }

    @Test
    void aWrongTypeNamesKeyValueAndWhatIsAcceptedAndKeepsTheDefault() {
        Configuration c = Configuration.load("Process_CacheSize=lots", Map.of(), Map.of());
        ConfigProblem p = single(c);
        assertEquals("configuration: Process_CacheSize=lots (agent arguments) is not accepted: expected a whole"
                + " number from 1 to 1000000; using the default 256", p.line());
        assertEquals(256, c.get(Settings.PROCESS_CACHE_SIZE));
    }

    @Test
    void outOfRangeValuesAreRefused() {
        for (String args : List.of("Process_CacheSize=0", "Process_CacheSize=1000001",
                "CollectorsCore_PriorityIntervals=0,1,2", "CollectorsCore_PriorityIntervals=1,2",
                "IothubModule_MessageTimeout=-1", "Process_PollingInterval=10", "Process_Mode=5")) {
            Configuration c = Configuration.load(args, Map.of(), Map.of());
            assertEquals(1, c.problems().size(), args);
            String key = args.substring(0, args.indexOf('='));
            assertEquals(key, c.problems().get(0).key());
            assertEquals(Settings.byKey(key).defaultValue(), c.get(Settings.byKey(key)), args);
        }
    }

    @Test
    void anUnknownEnumValueListsTheAcceptedOnes() {
        Configuration c = Configuration.load("Process_Mode=7,Process_MessageFrequency=Often,Agent_LogLevel=Loud,"
                + "Output_IotHub=Maybe,Login_UsePAM=yes", Map.of(), Map.of());
        assertEquals(5, c.problems().size());
        assertTrue(c.problems().get(0).line().contains("expected one of 1 (Auto), 2 (Netlink), 3 (Polling), 4 (Audit)"),
                c.problems().get(0).line());
        assertTrue(c.problems().get(1).line().contains("expected one of High, Medium, Low"));
        assertTrue(c.problems().get(2).line().contains("expected one of Off, Error, Warning, Info, Debug"));
        assertTrue(c.problems().get(3).line().contains("expected one of Auto, Off"));
        assertTrue(c.problems().get(4).line().contains("expected true or false"));
        assertEquals(Priority.MEDIUM, c.get(Settings.PROCESS.frequency()));
        Configuration cased = Configuration.load("Process_MessageFrequency=high,Agent_LogLevel=debug", Map.of(),
                Map.of());
        assertEquals(Priority.HIGH, cased.get(Settings.PROCESS.frequency()));
        assertEquals(LogLevel.DEBUG, cased.get(Settings.LOG_LEVEL));
    }

    @Test
    void anUnknownKeyNamesTheClosestKnownOne() {
        Configuration c = Configuration.load("Proces_CacheSize=512", Map.of("microagent.process_mode", "2"),
                Map.of("MICROAGENT_Heartbeat_Disable", "true"));
        assertEquals(3, c.problems().size());
        assertTrue(c.problems().stream().anyMatch(p -> p.line().equals("configuration: Proces_CacheSize=512 (agent"
                + " arguments) is not a known key (did you mean Process_CacheSize?); ignored")), c.problems().toString());
        assertTrue(c.problems().stream().anyMatch(p -> p.line().contains("system property microagent.process_mode")
                && p.line().contains("did you mean Process_Mode?")));
        assertTrue(c.problems().stream().anyMatch(p -> p.line().contains("MICROAGENT_Heartbeat_Disable")
                && p.line().contains("did you mean Heartbeat_Disabled?")));
        assertEquals(ProcessMode.AUTO, c.get(Settings.PROCESS_MODE), "keys are case-sensitive");
    }

    @Test
    void aLeadingSegmentThatIsNoPairIsReported() {
        Configuration c = Configuration.load("verbose,Process_CacheSize=3", Map.of(), Map.of());
        assertEquals("configuration: (none)=verbose (agent arguments) is not KEY=VALUE; ignored",
                single(c).line());
        assertEquals(3, c.get(Settings.PROCESS_CACHE_SIZE));
    }

    @Test
    void microAgentKeysForCollectorsThisAgentLacksAreWarnedNotErrors() {
        Configuration c = Configuration.load("FileSystem_Disabled=true", Map.of(), Map.of());
        assertTrue(c.problems().isEmpty());
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).contains("FileSystem_Disabled"));
    }

    @Test
    void aMissingConfigFileIsReportedAndTheOtherSourcesStillApply() {
        Path missing = dir.resolve("nope.json");
        Configuration c = Configuration.load("Config_File=" + missing + ",Process_CacheSize=9", Map.of(), Map.of());
        ConfigProblem p = single(c);
        assertEquals("Config_File", p.key());
        assertTrue(p.line().contains("expected an absolute path of a readable file"), p.line());
        assertEquals(9, c.get(Settings.PROCESS_CACHE_SIZE));
    }

    @Test
    void aConfigFileThatIsNotAJsonObjectIsReported() throws IOException {
        for (String content : List.of("{not json", "[1, 2]", "\"text\"")) {
            Path file = write(content);
            Configuration c = Configuration.load("Config_File=" + file, Map.of(), Map.of());
            ConfigProblem p = single(c);
            assertEquals("Config_File", p.key(), content);
            assertTrue(p.line().endsWith("none of its keys are used"), p.line());
        }
    }

    @Test
    void aNestedValueInTheConfigFileIsReportedAndTheRestUsed() throws IOException {
        Path file = write("{\"Process_CacheSize\": {\"value\": 5}, \"NetworkActivity_CacheSize\": 7,"
                + " \"Output_Stdout\": true, \"Config_File\": \"/elsewhere.json\"}");
        Configuration c = Configuration.load("Config_File=" + file, Map.of(), Map.of());
        ConfigProblem p = single(c);
        assertEquals("Process_CacheSize", p.key());
        assertTrue(p.line().contains("config file " + file));
        assertEquals(7, c.get(Settings.NETWORK_CACHE_SIZE));
        assertEquals(true, c.get(Settings.OUTPUT_STDOUT));
        assertTrue(c.warnings().get(0).contains("cannot name another"));
    }

    @Test
    void pathsAreChecked() {
        Configuration c = Configuration.load("Agent_HostRoot=" + dir.resolve("absent") + ",Output_File="
                + dir.resolve("no/such/dir/out.jsonl") + ",Agent_StateDirectory=relative/dir,Login_AuthLogPaths="
                + "var/log/auth.log", Map.of(), Map.of());
        assertEquals(4, c.problems().size(), c.problems().toString());
        assertEquals(Path.of("/"), c.get(Settings.HOST_ROOT));
        assertNull(c.get(Settings.OUTPUT_FILE));
        assertTrue(c.problems().get(1).line().endsWith("left unset"));
        Configuration ok = Configuration.load("Agent_HostRoot=" + dir + ",Output_File=" + dir.resolve("out.jsonl"),
                Map.of(), Map.of());
        assertTrue(ok.problems().isEmpty());
        assertEquals(dir, ok.get(Settings.HOST_ROOT));
    }

    @Test
    void closestKeyUsesEditDistance() {
        assertEquals(0, ClosestKey.distance("abc", "abc"));
        assertEquals(1, ClosestKey.distance("abc", "abd"));
        assertEquals(3, ClosestKey.distance("", "abc"));
        assertEquals("Login_UsePAM", ClosestKey.to("login_usepam", List.of("Login_UsePAM", "Login_Disabled")));
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "config", ".json");
        Files.writeString(file, content);
        return file;
    }

    private static ConfigProblem single(Configuration c) {
        assertEquals(1, c.problems().size(), c.problems().toString());
        return c.problems().get(0);
    }
}
