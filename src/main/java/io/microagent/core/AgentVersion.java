package io.microagent.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, written into the jar at build time. */
public final class AgentVersion {
    private static final String VERSION = read();

    private AgentVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("agent-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
