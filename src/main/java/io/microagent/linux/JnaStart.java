package io.microagent.linux;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the agent's JNA once, before its first native call, without two costs JNA's defaults bring to a device.
 * Left to itself, JNA copies its dispatch library to the shared temporary directory under a name from
 * {@code File.createTempFile}, whose {@code SecureRandom} loads the security provider framework (over a megabyte of
 * resident memory), and runs {@code ldconfig -p} in a child process to list library directories the agent never
 * searches (it opens libc and libsystemd by their sonames, which the dynamic loader finds itself). Here the
 * dispatch library is copied into the agent's private directory, beside its jar, and JNA is told so, and given an
 * empty search path, through its system properties for the moment it starts: they are cleared again at once, so an
 * application's own JNA starts as it always would. Whatever goes wrong here leaves JNA to its defaults.
 */
public final class JnaStart {
    private static final String BOOT_PATH = "jna.boot.library.path";
    private static final String PLATFORM_PATH = "jna.platform.library.path";
    private static final EnumSet<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static boolean started;

    private JnaStart() {
    }

    public static synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PLATFORM_PATH, "");
        Path directory = privateDirectory();
        if (directory != null && copyDispatchLibrary(directory)) {
            properties.put(BOOT_PATH, directory.toString());
        }
        List<String> set = new ArrayList<>();
        try {
            properties.forEach((key, value) -> {
                if (System.getProperty(key) == null) { // the application's choice stands
                    System.setProperty(key, value);
                    set.add(key);
                }
            });
            ClassLoader loader = JnaStart.class.getClassLoader();
            Class.forName("com.sun.jna.Native", true, loader);
            Class.forName("com.sun.jna.NativeLibrary", true, loader);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // JNA says what is wrong again, in its own words, at the agent's first native call.
        } finally {
            set.forEach(System::clearProperty);
        }
    }

    /** The directory of the agent's jar when it is the agent's own (its owner's only), else null (a test's classes). */
    private static Path privateDirectory() {
        try {
            CodeSource source = JnaStart.class.getProtectionDomain().getCodeSource();
            Path jar = Path.of(source.getLocation().toURI());
            Path directory = jar.getParent();
            if (Files.isRegularFile(jar) && directory != null
                    && Files.getPosixFilePermissions(directory).equals(OWNER_ONLY)) {
                return directory;
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // No usable directory: JNA unpacks its library itself.
        }
        return null;
    }

    private static boolean copyDispatchLibrary(Path directory) {
        String name = System.mapLibraryName("jnidispatch");
        String resource = "com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/" + name;
        try (InputStream in = JnaStart.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Path library = directory.resolve(name);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            library.toFile().deleteOnExit(); // before the directory, registered earlier, is deleted
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
