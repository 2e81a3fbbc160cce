package io.microagent.collect.sbom;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a class was loaded from, as a jar to read: a jar file, or a jar nested in another (a Spring Boot fat
 * jar's {@code BOOT-INF/lib/x.jar}, written {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/} up to Spring Boot
 * 3.1 and {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/} from 3.2). Directories of classes are not jars.
 */
public record JarLocation(Path file, String nestedEntry) {
    /** The file name that names the jar when nothing inside it does. */
    public String fileName() {
        String path = nestedEntry != null ? nestedEntry : file.toString();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public static Optional<JarLocation> parse(String url) {
        try {
            if (url.startsWith("file:")) {
                Path path = Path.of(URI.create(url));
                return path.toString().endsWith(".jar") ? Optional.of(new JarLocation(path, null)) : Optional.empty();
            }
            String rest;
            if (url.startsWith("jar:file:")) {
                rest = url.substring("jar:file:".length());
            } else if (url.startsWith("jar:nested:")) {
                rest = url.substring("jar:nested:".length()).replace("/!", "!/");
            } else {
                return Optional.empty();
            }
            int bang = rest.indexOf("!/");
            if (bang < 0) {
                return Optional.empty();
            }
            String outer = decode(rest.substring(0, bang));
            String inner = rest.substring(bang + 2);
            if (inner.endsWith("!/")) {
                inner = inner.substring(0, inner.length() - 2);
            }
            inner = decode(inner);
            if (inner.isEmpty()) {
                return outer.endsWith(".jar") ? Optional.of(new JarLocation(Path.of(outer), null)) : Optional.empty();
            }
            return inner.endsWith(".jar") ? Optional.of(new JarLocation(Path.of(outer), inner)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** %XX escapes of a URL path ('+' is a plus in a path, not a space). */
    private static String decode(String rawPath) {
        return rawPath.startsWith("/") ? URI.create("file:" + rawPath).getPath()
                : URI.create("file:/" + rawPath).getPath().substring(1);
    }
}
