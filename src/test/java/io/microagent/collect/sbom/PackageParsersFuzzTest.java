package io.microagent.collect.sbom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/** dpkg/opkg status files, apk's installed database, jar URLs and the files inside jars, fuzzed. */
class PackageParsersFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void statusFile(@NotNull String text) {
        Inventory inventory = StatusFile.parse(text, "deb");
        assertTrue(inventory.packages().size() <= text.length() / 10 + 1, "a package is a few fields at least");
    }

    @FuzzTest(maxDuration = "2m")
    void apkDatabase(@NotNull String text) {
        assertTrue(ApkDatabase.parse(text).packages().size() <= text.length() / 4 + 1);
    }

    @FuzzTest(maxDuration = "2m")
    void jarLocations(@NotNull String url) {
        JarLocation.parse(url);
    }

    @FuzzTest(maxDuration = "2m")
    void jarEntries(FuzzedDataProvider data) {
        JarDescription jar = new JarDescription(data.consumeString(60) + ".jar");
        while (data.remainingBytes() > 0) {
            String name = data.pickValue(new String[] {"META-INF/MANIFEST.MF",
                    "META-INF/maven/g/a/pom.properties", "META-INF/maven/x/y/pom.properties", "other"});
            jar.entry(name, data.consumeBytes(2048));
        }
        jar.packages().forEach(p -> assertTrue(p.name() != null && !p.name().isEmpty()));
    }
}
