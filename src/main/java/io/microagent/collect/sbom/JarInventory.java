package io.microagent.collect.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The application's own libraries: every jar the JVM has loaded classes from (class path, child loaders, jars
 * nested in a fat jar), found through the loaded classes' code sources. A jar is opened once; later scans
 * reuse what it said. Classes of the agent's own loader are not the application's and are passed over.
 */
public final class JarInventory {
    private final Supplier<Class<?>[]> loadedClasses;
    private final ClassLoader own;
    private final Map<JarLocation, List<SoftwarePackage>> described = new HashMap<>();
    private long unreadable;
    private long skippedEntries;

    /** @param loadedClasses the JVM's loaded classes ({@code Instrumentation::getAllLoadedClasses}) */
    public JarInventory(Supplier<Class<?>[]> loadedClasses) {
        this.loadedClasses = loadedClasses;
        this.own = JarInventory.class.getClassLoader();
    }

    public synchronized List<SoftwarePackage> scan() {
        Set<JarLocation> locations = new LinkedHashSet<>();
        Set<URL> seen = new java.util.HashSet<>();
        for (Class<?> c : loadedClasses.get()) {
            URL url = location(c);
            if (url != null && seen.add(url)) {
                JarLocation.parse(url.toString()).ifPresent(locations::add);
            }
        }
        List<SoftwarePackage> packages = new ArrayList<>();
        for (JarLocation location : locations) {
            packages.addAll(described.computeIfAbsent(location, this::describe));
        }
        return packages;
    }

    /** Jars that could not be opened, and pom.properties or manifests that could not be read. */
    public synchronized String counters() {
        return "jars_unreadable=" + unreadable + " jar_entries_skipped=" + skippedEntries;
    }

    private URL location(Class<?> c) {
        if (c.getClassLoader() == null || c.getClassLoader() == own || c.isArray() || c.isPrimitive()) {
            return null;
        }
        try {
            ProtectionDomain domain = c.getProtectionDomain();
            CodeSource source = domain == null ? null : domain.getCodeSource();
            return source == null ? null : source.getLocation();
        } catch (RuntimeException e) {
            return null;
        }
    }

    List<SoftwarePackage> describe(JarLocation location) {
        JarDescription description = new JarDescription(location.fileName());
        try (ZipFile zip = new ZipFile(location.file().toFile())) {
            if (location.nestedEntry() == null) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                    ZipEntry entry = e.nextElement();
                    if (JarDescription.wanted(entry.getName())) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            feed(description, entry.getName(), in);
                        }
                    }
                }
            } else {
                ZipEntry nested = zip.getEntry(location.nestedEntry());
                if (nested == null) {
                    throw new IOException("no " + location.nestedEntry() + " in " + location.file());
                }
                try (ZipInputStream in = new ZipInputStream(zip.getInputStream(nested))) {
                    for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                        if (JarDescription.wanted(entry.getName())) {
                            feed(description, entry.getName(), in);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            unreadable++;
        }
        skippedEntries += description.skipped();
        return description.packages();
    }

    private void feed(JarDescription description, String name, InputStream in) throws IOException {
        byte[] bytes = JarDescription.readBounded(in);
        if (bytes == null) {
            skippedEntries++;
        } else {
            description.entry(name, bytes);
        }
    }
}
