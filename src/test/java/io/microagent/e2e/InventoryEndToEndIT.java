package io.microagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SBoM and SystemInformation from the packaged agent on this machine, against the system's own tools:
 * {@code dpkg-query}, {@code uname}, {@code ip}. The application's libraries live in a child class loader.
 */
class InventoryEndToEndIT {
    @TempDir
    Path dir;

    static List<String> javas() {
        return Jvm.javas();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void packagesLibrariesAndTheSystemAsTheSystemStatesThem(String java) throws Exception {
        Path file = dir.resolve("messages.jsonl");
        String args = "CollectorsCore_PriorityIntervals=1s,2s,2s,Output_File=" + file + ",Agent_StateDirectory="
                + dir.resolve("state") + ",Output_IotHub=Off";
        List<String> childPath = new ArrayList<>(List.of(Jvm.TEST_CLASSES.toAbsolutePath().toString()));
        try (Stream<Path> jars = Files.list(Jvm.CLASH_LIB)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> childPath.add(p.toString()));
        }
        List<String> command = new ArrayList<>(Jvm.java(java));
        command.addAll(List.of("-javaagent:" + Jvm.AGENT_JAR.toAbsolutePath() + "=" + args,
                "-Dlauncher.main=" + ClashApp.class.getName(), "-cp", Jvm.TEST_CLASSES.toAbsolutePath().toString(),
                ChildLoaderLauncher.class.getName(), String.join(File.pathSeparator, childPath), file.toString(),
                "com.fasterxml.jackson.core:jackson-databind", "60"));
        Jvm.Result r = Jvm.run(dir, command, 90);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.outHas("app-done"), r.toString());

        List<JsonNode> messages = AgentEndToEndIT.messages(file);
        // The last complete SBoM: events of one window may be split across messages, so gather by event time.
        Map<String, List<JsonNode>> sbomByTime = new TreeMap<>();
        JsonNode system = null;
        for (JsonNode m : messages) {
            for (JsonNode e : m.get("Events")) {
                if (e.get("Name").asText().equals("SBoM")) {
                    e.get("Payload").forEach(p -> sbomByTime.computeIfAbsent(e.get("TimestampUTC").asText(),
                            t -> new ArrayList<>()).add(p));
                } else if (e.get("Name").asText().equals("SystemInformation")) {
                    system = e.get("Payload").get(0);
                }
            }
        }
        List<JsonNode> sbom = sbomByTime.values().stream().filter(l -> l.stream().anyMatch(p -> p.get("Name").asText()
                .equals("com.fasterxml.jackson.core:jackson-databind"))).findFirst().orElseThrow();

        // This machine is Debian 12: its CIS baseline ran, and what failed came with the check's content.
        List<JsonNode> baseline = new ArrayList<>();
        messages.forEach(m -> m.get("Events").forEach(e -> {
            if (e.get("Name").asText().equals("Baseline")) {
                e.get("Payload").forEach(baseline::add);
            }
        }));
        assertTrue(baseline.stream().anyMatch(p -> p.get("CheckId").asText().startsWith("CIS-debian-12-")
                && !p.get("Remediation").asText().isEmpty()), baseline.toString());

        Map<String, String> jars = new HashMap<>();
        List<String> debs = new ArrayList<>();
        for (JsonNode p : sbom) {
            if (p.get("Type").asText().equals("jar")) {
                jars.put(p.get("Name").asText(), p.get("Version").asText());
            } else if (p.get("Type").asText().equals("deb")) {
                debs.add(p.get("Name").asText() + "\t" + p.get("Version").asText() + "\t"
                        + (p.has("Vendor") ? p.get("Vendor").asText() : ""));
            }
        }
        assertEquals("2.17.2", jars.get("com.fasterxml.jackson.core:jackson-databind"), jars.toString());
        assertEquals("2.17.2", jars.get("com.fasterxml.jackson.core:jackson-core"), jars.toString());
        assertEquals("1.14.12", jars.get("net.bytebuddy:byte-buddy"), jars.toString());
        assertEquals("5.13.0", jars.get("com.sun.jna"), "JNA's jar has no Maven metadata: its OSGi manifest names it");
        assertTrue(jars.values().stream().noneMatch(v -> v.equals("2.22.3")), "the agent's own Jackson is not the"
                + " application's: " + jars);

        Set<String> installed = new TreeSet<>();
        List<String> expected = new ArrayList<>();
        for (String line : command("dpkg-query", "-W", "-f",
                "${Package}\\t${Version}\\t${Maintainer}\\t${db:Status-Status}\\n")) {
            String[] f = line.split("\t", -1);
            if (f[3].equals("installed")) {
                expected.add(f[0] + "\t" + f[1] + "\t" + f[2]);
                installed.add(f[0]);
            }
        }
        expected.sort(null);
        debs.sort(null);
        assertTrue(expected.size() > 100, "dpkg-query listed " + expected.size());
        assertEquals(expected, debs, "every package, version and maintainer as dpkg-query -W states them");

        Map<String, String> osRelease = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                osRelease.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^\"|\"$", ""));
            }
        }
        assertEquals(osRelease.get("NAME"), system.get("OsDist").asText());
        assertEquals(osRelease.getOrDefault("VERSION", osRelease.get("VERSION_ID")), system.get("OsVersion").asText());
        assertEquals(command("uname", "-s").get(0), system.get("OsPlatform").asText());
        assertEquals(command("uname", "-m").get(0), system.get("OsArch").asText());
        assertEquals(command("uname", "-n").get(0), system.get("HostName").asText());

        Set<String> fromIp = new TreeSet<>();
        for (String line : command("ip", "-o", "addr", "show")) {
            String[] f = line.trim().split("\\s+");
            if (!f[1].equals("lo")) {
                fromIp.add(f[1] + " " + f[3].substring(0, f[3].indexOf('/')));
            }
        }
        Set<String> reported = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (JsonNode nic : system.get("Nics")) {
            names.add(nic.get("Name").asText());
            String mac = Files.readString(Path.of("/sys/class/net", nic.get("Name").asText(), "address")).strip();
            for (JsonNode info : nic.get("Info")) {
                assertEquals(mac, info.get("Mac").asText());
                for (String field : List.of("Ipv4Address", "Ipv6Address")) {
                    if (info.has(field)) {
                        reported.add(nic.get("Name").asText() + " " + info.get(field).asText());
                    }
                }
            }
        }
        Set<String> sysfs = new TreeSet<>(Arrays.asList(new File("/sys/class/net").list()));
        sysfs.remove("lo");
        assertEquals(sysfs, names);
        assertEquals(fromIp, reported, "addresses as ip -o addr shows them");
    }

    private List<String> command(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command));
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }
}
