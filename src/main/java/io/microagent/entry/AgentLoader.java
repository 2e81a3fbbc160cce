package io.microagent.entry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Builds the agent's own class loader. The agent and its libraries travel inside the agent jar as two nested jars
 * (Byte Buddy's apart); they are copied to a private temporary directory and loaded with the platform loader as
 * parent, so the application cannot see the agent's Jackson, Byte Buddy or JNA and the agent cannot see the
 * application's. It is not registered as parallel capable: such a loader keeps a lock object and a map entry for
 * every class name ever asked of it (thousands: the agent's and every JDK class it names), and the agent's few
 * threads load little after start. Its own classes are looked up in its jar first: asking the platform loader for
 * each of them first cost an exception with a full stack trace per class (megabytes at start).
 */
final class AgentLoader extends URLClassLoader {
    /** Classes only the agent's jar holds; the bridge is defined in the bootstrap loader and must be found there. */
    private static final String OWN = "io.microagent.";
    private static final String JNA = "com.sun.jna.";
    private static final String BRIDGE = "io.microagent.bridge.";

    static final String NESTED_JAR = "META-INF/iot-micro-agent/agent.jar";
    /**
     * Byte Buddy, second on the loader's path: a jar is opened (and its central directory kept in memory, 0.4 MB for
     * Byte Buddy's 3,000 entries) only when a class or resource is not found in the jars before it, which for the
     * agent means when the SDK's client class appears and the capture is built.
     */
    static final String NESTED_BYTE_BUDDY_JAR = "META-INF/iot-micro-agent/bytebuddy.jar";
    private static final String TEMP_PREFIX = "iot-micro-agent-";

    private AgentLoader(URL[] jars) {
        super("iot-micro-agent", jars, ClassLoader.getPlatformClassLoader());
    }

    static ClassLoader create() throws IOException, URISyntaxException {
        CodeSource source = AgentLoader.class.getProtectionDomain().getCodeSource();
        Path self = Path.of(source.getLocation().toURI());
        if (Files.isDirectory(self)) {
            // Running from a classes directory (the project's own unit tests): everything is already here.
            return AgentLoader.class.getClassLoader();
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        removeLeftovers(temp);
        Path directory = privateDirectory(temp);
        Path inner = directory.resolve("agent.jar");
        Path byteBuddy = directory.resolve("bytebuddy.jar");
        try (JarFile jar = new JarFile(self.toFile())) {
            extract(jar, NESTED_JAR, inner, self);
            extract(jar, NESTED_BYTE_BUDDY_JAR, byteBuddy, self);
        }
        // deleteOnExit runs in reverse order of registration: the directory must come first to go last.
        directory.toFile().deleteOnExit();
        inner.toFile().deleteOnExit();
        byteBuddy.toFile().deleteOnExit();
        return new AgentLoader(new URL[] {inner.toUri().toURL(), byteBuddy.toUri().toURL()});
    }

    /**
     * A new directory of the owner's only. Not {@code Files.createTempDirectory}: its names come from
     * {@code SecureRandom}, whose provider framework costs a device over a megabyte of resident memory. The
     * directory is made exclusively (mkdir fails on any existing name, a link included), so a name someone guessed
     * costs only another try.
     */
    private static Path privateDirectory(Path temp) throws IOException {
        FileAlreadyExistsException taken = null;
        for (int i = 0; i < 100; i++) {
            Path directory = temp.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-"
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
            try {
                return Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                taken = e;
            }
        }
        throw taken;
    }

    private static void extract(JarFile jar, String name, Path to, Path self) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        if (entry == null) {
            throw new IOException(self + " has no " + name + ": it is not a complete iot-micro-agent jar");
        }
        try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!(name.startsWith(OWN) || name.startsWith(JNA)) || name.startsWith(BRIDGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** Directories left by agents in JVMs that were killed (deleteOnExit never ran) are removed. */
    private static void removeLeftovers(Path temp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(temp, TEMP_PREFIX + "*")) {
            for (Path dir : dirs) {
                String[] parts = dir.getFileName().toString().substring(TEMP_PREFIX.length()).split("-", 2);
                if (parts.length == 2 && parts[0].matches("\\d{1,10}")
                        && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty() && Files.isWritable(dir)) {
                    try (Stream<Path> tree = Files.walk(dir)) {
                        tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Clean-up is best effort: a leftover costs disk space, never correctness.
        }
    }
}
