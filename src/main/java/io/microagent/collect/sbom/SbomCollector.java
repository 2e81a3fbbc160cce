package io.microagent.collect.sbom;

import io.microagent.collect.Collector;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.HostPaths;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SBoM: every package the host's package databases list as installed (dpkg, opkg, apk, under
 * {@code Agent_HostRoot}), and the application's own jars, sent in full at each of its windows (the cloud
 * keeps no state). Nothing is executed: the databases are read as files.
 */
public final class SbomCollector implements Collector {
    /** Where each package manager keeps its database of installed packages. */
    private record Database(String path, String type) {
    }

    private static final List<Database> DATABASES = List.of(new Database("/var/lib/dpkg/status", "deb"),
            new Database("/usr/lib/opkg/status", "opkg"), new Database("/var/lib/opkg/status", "opkg"),
            new Database("/lib/apk/db/installed", "apk"));

    private final HostPaths host;
    private final JarInventory jars;
    private final AgentLog log;
    private final java.util.function.BooleanSupplier forTheHost;
    private final AtomicLong skippedRecords = new AtomicLong();
    private final AtomicLong unreadableDatabases = new AtomicLong();
    private volatile String sources = "";

    /**
     * @param forTheHost whether this agent reports the host's packages now (it collects for the host); the
     *                   application's own jars are reported by every agent
     */
    public SbomCollector(HostPaths host, JarInventory jars, AgentLog log, java.util.function.BooleanSupplier forTheHost) {
        this.host = host;
        this.jars = jars;
        this.log = log;
        this.forTheHost = forTheHost;
    }

    @Override
    public String name() {
        return "SBoM";
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        List<SoftwarePackage> packages = new ArrayList<>();
        List<String> read = new ArrayList<>();
        for (Database db : forTheHost.getAsBoolean() ? DATABASES : List.<Database>of()) {
            Path file = host.resolve(db.path());
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException | RuntimeException e) {
                if (unreadableDatabases.getAndIncrement() == 0) {
                    log.warning("SBoM: cannot read " + file + " (" + e + "); its packages are not reported");
                }
                continue;
            }
            Inventory inventory = db.type().equals("apk") ? ApkDatabase.parse(text) : StatusFile.parse(text, db.type());
            skippedRecords.addAndGet(inventory.skipped());
            packages.addAll(inventory.packages());
            read.add(db.path());
        }
        List<SoftwarePackage> libraries = jars.scan();
        packages.addAll(libraries);
        sources = String.join(",", read) + (libraries.isEmpty() ? "" : (read.isEmpty() ? "" : ",") + "jars");
        return List.of(SecurityEvent.periodic(name(), windowEnd, packages));
    }

    @Override
    public String mode() {
        return sources;
    }

    @Override
    public String counters() {
        return "records_skipped=" + skippedRecords + " databases_unreadable=" + unreadableDatabases + " "
                + jars.counters();
    }
}
