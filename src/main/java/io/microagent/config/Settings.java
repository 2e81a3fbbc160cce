package io.microagent.config;

import io.microagent.collect.process.ProcessMode;
import io.microagent.log.LogLevel;
import io.microagent.output.IotHubOutputMode;
import io.microagent.schedule.Priority;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every key the agent accepts, with its default: ../shared/reference/configuration.md, in code. */
public final class Settings {
    private static final Map<String, Setting<?>> BY_KEY = new LinkedHashMap<>();

    public static final Setting<List<Duration>> PRIORITY_INTERVALS = add("CollectorsCore_PriorityIntervals",
            "30,120,1440", Values.durations3(ChronoUnit.MINUTES, Duration.ofSeconds(1), Duration.ofDays(30)),
            "send interval of the High, Medium and Low priority groups, also their aggregation window");
    public static final Setting<Duration> MESSAGE_TIMEOUT = add("IothubModule_MessageTimeout", "2880",
            Values.duration(ChronoUnit.MINUTES, Duration.ofSeconds(1), Duration.ofDays(365)),
            "how long an unsent message may wait before it is dropped (and counted)");

    public static final CollectorKeys PROCESS = collector("Process", Priority.MEDIUM);
    public static final Setting<ProcessMode> PROCESS_MODE = add("Process_Mode", "1",
            Values.oneOf(ProcessMode.class, m -> String.valueOf(m.number()),
                    m -> m.number() + " (" + m.text() + ")"),
            "1 Auto (Audit where it changes nothing, else Netlink, else Polling), 2 Netlink, 3 Polling, 4 Audit");
    public static final Setting<Duration> PROCESS_POLLING_INTERVAL = add("Process_PollingInterval", "100000",
            Values.duration(ChronoUnit.MICROS, Duration.ofMillis(10), Duration.ofHours(1)),
            "time between /proc scans in Polling mode");
    public static final Setting<Integer> PROCESS_CACHE_SIZE = add("Process_CacheSize", "256",
            Values.integer(1, 1_000_000), "distinct aggregated process events kept per window");

    public static final Setting<Boolean> PROCESS_REDACT_SECRETS = add("Process_RedactSecrets", "true", Values.bool(),
            "replace passwords, keys and tokens in command lines with *** before they are kept or sent");
    public static final Setting<List<java.util.regex.Pattern>> PROCESS_REDACT_PATTERNS = add("Process_RedactPatterns",
            null, Values.secretPatterns(), "more secrets to redact: regular expressions whose first group is the secret");

    public static final CollectorKeys NETWORK = collector("NetworkActivity", Priority.MEDIUM);
    public static final Setting<List<String>> NETWORK_DEVICES = add("NetworkActivity_Devices", null,
            Values.list(), "interfaces to record (unset: every interface but loopback)");
    public static final Setting<Integer> NETWORK_CACHE_SIZE = add("NetworkActivity_CacheSize", "256",
            Values.integer(1, 1_000_000), "distinct aggregated connection events kept per window");

    public static final CollectorKeys LOGIN = collector("Login", Priority.MEDIUM);
    public static final Setting<Boolean> LOGIN_USE_PAM = add("Login_UsePAM", "false", Values.bool(),
            "read sign-ins from the PAM hook's log instead of syslog and utmp");

    public static final CollectorKeys SYSTEM_INFORMATION = collector("SystemInformation", Priority.LOW);
    public static final Setting<String> HARDWARE_VENDOR = add("SystemInformation_HardwareVendor", null,
            Values.text(), "overrides the reported hardware vendor");
    public static final Setting<String> HARDWARE_MODEL = add("SystemInformation_HardwareModel", null,
            Values.text(), "overrides the reported hardware model");
    public static final Setting<String> HARDWARE_SERIAL = add("SystemInformation_HardwareSerialNumber", null,
            Values.text(), "overrides the reported hardware serial number");
    public static final Setting<String> FIRMWARE_VENDOR = add("SystemInformation_FirmwareVendor", null,
            Values.text(), "overrides the reported firmware vendor");
    public static final Setting<String> FIRMWARE_VERSION = add("SystemInformation_FirmwareVersion", null,
            Values.text(), "overrides the reported firmware version");

    public static final CollectorKeys BASELINE = collector("Baseline", Priority.LOW);
    public static final Setting<List<String>> BASELINE_GROUPS_DISABLED = add("Baseline_GroupsDisabled", null,
            Values.list(), "check groups to skip");
    public static final Setting<List<String>> BASELINE_CHECKS_DISABLED = add("Baseline_ChecksDisabled", null,
            Values.list(), "CIS section numbers to skip");

    public static final CollectorKeys SBOM = collector("SBoM", Priority.LOW);
    public static final CollectorKeys HEARTBEAT = collector("Heartbeat", Priority.LOW);

    public static final Setting<Path> CONFIG_FILE = add("Config_File", null, Values.readableFile(),
            "JSON file with more keys");
    public static final Setting<IotHubOutputMode> OUTPUT_IOTHUB = add("Output_IotHub", "Auto",
            Values.oneOf(IotHubOutputMode.class, IotHubOutputMode::text),
            "Auto: send through the application's own IoT Hub client once one is seen; Off");
    public static final Setting<String> OUTPUT_IOTHUB_DEVICE = add("Output_IotHubDevice", null, Values.text(),
            "with several IoT Hub clients in the JVM, the one to send through: DEVICE or DEVICE/MODULE");
    public static final Setting<Boolean> REMOTE_CONFIGURATION = add("Agent_RemoteConfiguration", "true",
            Values.bool(), "read the agent's keys from the application's device twin (desired iotMicroAgent)");
    public static final Setting<Path> OUTPUT_FILE = add("Output_File", null, Values.writableFile(),
            "also append every message, one JSON object per line, to this file");
    public static final Setting<Boolean> OUTPUT_STDOUT = add("Output_Stdout", "false", Values.bool(),
            "also print every message as one JSON line on standard output");
    public static final Setting<Path> HOST_ROOT = add("Agent_HostRoot", "/", Values.existingDirectory(),
            "directory under which every host path is read");
    public static final Setting<Path> STATE_DIRECTORY = add("Agent_StateDirectory", null, Values.absolutePath(),
            "where the agent keeps its id, file offsets and unsent messages (unset: a writable default)");
    public static final Setting<List<String>> AUTH_LOG_PATHS = add("Login_AuthLogPaths",
            "/var/log/auth.log,/var/log/secure", Values.absolutePaths(), "syslog files to follow");
    public static final Setting<LogLevel> LOG_LEVEL = add("Agent_LogLevel", "Info",
            Values.oneOf(LogLevel.class, LogLevel::text), "the agent's own log lines on standard error");

    /** Micro agent keys for collectors this agent does not have: accepted with a warning, not an error. */
    public static final Set<String> UNSUPPORTED_MICRO_AGENT_KEYS = Set.of(
            "NetworkActivity_PacketBufferSize", "LogCollector_Disabled", "LogCollector_MessageFrequency",
            "FileSystem_Disabled", "FileSystem_MessageFrequency", "FileSystem_Recursive", "FileSystem_Paths",
            "FileSystem_CacheSize", "Peripheral_Disabled", "Peripheral_MessageFrequency", "Peripheral_CacheSize",
            "Statistics_Disabled", "Statistics_MessageFrequency", "Statistics_CacheSize");

    private Settings() {
    }

    public static Setting<?> byKey(String key) {
        return BY_KEY.get(key);
    }

    /** All keys in documentation order. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_KEY.values()));
    }

    private static CollectorKeys collector(String prefix, Priority frequency) {
        return new CollectorKeys(prefix,
                add(prefix + "_Disabled", "false", Values.bool(), "turns the " + prefix + " collector off"),
                add(prefix + "_MessageFrequency", frequency.text(), Values.oneOf(Priority.class, Priority::text),
                        "priority group (send interval) of the " + prefix + " collector"));
    }

    private static <T> Setting<T> add(String key, String defaultText, ValueType<T> type, String meaning) {
        Setting<T> setting = new Setting<>(key, defaultText, type, meaning);
        BY_KEY.put(key, setting);
        return setting;
    }
}
