package io.microagent.collect.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** os-release, /proc/net/vlan/config, /proc/net/if_inet6, rtnetlink addresses and DMI/device-tree files, fuzzed. */
class SystemParsersFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void osRelease(@NotNull String text) {
        Map<String, String> fields = OsRelease.parse(text);
        fields.values().forEach(v -> assertTrue(v.length() <= text.length()));
    }

    @FuzzTest(maxDuration = "2m")
    void vlanConfig(@NotNull String text) {
        assertTrue(VlanConfig.parse(text).size() <= text.length() / 3 + 1);
    }

    @FuzzTest(maxDuration = "2m")
    void ifInet6(@NotNull String text) {
        for (String[] row : IfInet6.parse(text)) {
            assertTrue(row.length > 0);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void interfaceAddresses(@NotNull byte[] payload) {
        InterfaceAddresses.Address a = InterfaceAddresses.parse(ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()));
        assertTrue(a == null || a.address() != null);
    }

    @FuzzTest(maxDuration = "2m")
    void hardwareFiles(FuzzedDataProvider data) {
        Map<String, String> files = Map.of("sys_vendor", data.consumeString(200), "product_name",
                data.consumeString(200), "product_serial", data.consumeString(200), "model", data.consumeString(200),
                "serial-number", data.consumeRemainingAsString());
        Hardware.fromDmi(files);
        Hardware.fromDeviceTree(files);
    }
}
