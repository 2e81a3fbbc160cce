package io.microagent.entry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.Comparator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Builds the agent's own class loader. The agent and its libraries travel inside the agent jar as a nested jar;
 * it is copied to a private temporary directory and loaded with the platform loader as parent, so the
 * application cannot see the agent's Jackson, Byte Buddy or JNA and the agent cannot see the application's.
 */
final class AgentLoader {
    static final String NESTED_JAR = "META-INF/iot-micro-agent/agent.jar";
    private static final String TEMP_PREFIX = "iot-micro-agent-";

    private AgentLoader() {
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
        Path directory = Files.createTempDirectory(temp, TEMP_PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path inner = directory.resolve("agent.jar");
        try (JarFile jar = new JarFile(self.toFile())) {
            JarEntry entry = jar.getJarEntry(NESTED_JAR);
            if (entry == null) {
                throw new IOException(self + " has no " + NESTED_JAR + ": it is not a complete iot-micro-agent jar");
            }
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, inner, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // deleteOnExit runs in reverse order of registration: the directory must come first to go last.
        directory.toFile().deleteOnExit();
        inner.toFile().deleteOnExit();
        return new URLClassLoader("iot-micro-agent", new URL[] {inner.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
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
