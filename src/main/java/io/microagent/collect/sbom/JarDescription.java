package io.microagent.collect.sbom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a jar says it is, from the entries that name it: every {@code META-INF/maven/G/A/pom.properties}
 * (a jar that shades others holds one per copy, and each is listed), else its manifest
 * ({@code Implementation-Title}/{@code Bundle-SymbolicName} and their versions), else its file name.
 * Fed entry by entry by whoever reads the jar, then asked for {@link #packages}.
 */
public final class JarDescription {
    static final String MANIFEST = "META-INF/MANIFEST.MF";
    /** More than any real pom.properties or manifest: a larger entry is not read. */
    static final int MAX_ENTRY_BYTES = 256 * 1024;
    private static final Pattern POM = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
    private static final Pattern VERSIONED_NAME = Pattern.compile("(.+?)-(\\d[\\w.+~-]*)\\.jar");

    private final String fileName;
    private final List<SoftwarePackage> fromMaven = new ArrayList<>();
    private Attributes manifest;
    private long skipped;

    public JarDescription(String fileName) {
        this.fileName = fileName;
    }

    /** Whether {@code entryName} is one this description reads. */
    public static boolean wanted(String entryName) {
        return entryName.equals(MANIFEST) || POM.matcher(entryName).matches();
    }

    /** One wanted entry's bytes; malformed ones are skipped and counted. */
    public void entry(String entryName, byte[] bytes) {
        try {
            if (entryName.equals(MANIFEST)) {
                manifest = new Manifest(new ByteArrayInputStream(bytes)).getMainAttributes();
                return;
            }
            Properties p = new Properties();
            p.load(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)));
            String group = p.getProperty("groupId");
            String artifact = p.getProperty("artifactId");
            String version = p.getProperty("version");
            if (blank(group) || blank(artifact) || blank(version)) {
                skipped++;
                return;
            }
            fromMaven.add(new SoftwarePackage(group.strip() + ":" + artifact.strip(), version.strip(), null, "jar"));
        } catch (IOException | IllegalArgumentException e) {
            skipped++;
        }
    }

    /** Reads at most {@link #MAX_ENTRY_BYTES} of an entry; null when it is larger. */
    public static byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_ENTRY_BYTES + 1);
        return bytes.length > MAX_ENTRY_BYTES ? null : bytes;
    }

    public long skipped() {
        return skipped;
    }

    /** What the jar says it is; a package is never nameless (found by fuzzing: a jar named ".jar"). */
    public List<SoftwarePackage> packages() {
        return described().stream().map(p -> blank(p.name()) ? new SoftwarePackage(blank(fileName) ? "(unnamed jar)"
                : fileName, p.version(), p.vendor(), p.type()) : p).toList();
    }

    private List<SoftwarePackage> described() {
        String vendor = manifest == null ? null
                : first(manifest.getValue("Implementation-Vendor"), manifest.getValue("Bundle-Vendor"));
        if (!fromMaven.isEmpty()) {
            if (fromMaven.size() == 1 && vendor != null) {
                SoftwarePackage only = fromMaven.get(0);
                return List.of(new SoftwarePackage(only.name(), only.version(), vendor, "jar"));
            }
            return List.copyOf(fromMaven); // shaded copies: the manifest's vendor is the outer jar's only
        }
        if (manifest != null) {
            String title = first(manifest.getValue("Bundle-SymbolicName"), manifest.getValue("Implementation-Title"));
            String version = first(manifest.getValue("Bundle-Version"), manifest.getValue("Implementation-Version"));
            if (title != null && version != null) {
                int parameters = title.indexOf(';'); // Bundle-SymbolicName: name;singleton:=true
                return List.of(new SoftwarePackage(parameters > 0 ? title.substring(0, parameters).strip() : title,
                        version, vendor, "jar"));
            }
        }
        Matcher m = VERSIONED_NAME.matcher(fileName);
        if (m.matches()) {
            return List.of(new SoftwarePackage(m.group(1), m.group(2), vendor, "jar"));
        }
        String bare = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
        return List.of(new SoftwarePackage(bare, "", vendor, "jar"));
    }

    private static String first(String a, String b) {
        return !blank(a) ? a.strip() : !blank(b) ? b.strip() : null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
