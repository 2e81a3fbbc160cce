package io.microagent.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device application that brings its own Jackson, Byte Buddy and JNA (other versions than the agent's).
 * It uses them, checks it cannot see the agent's classes, waits until the agent's output file holds the
 * event named in args[1] (or "none"; a name with a ':' is a text the file must hold, such as a library's
 * coordinates), and reports what it saw on standard output.
 */
public final class ClashApp {
    public interface LibC extends Library {
        int getpid();
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args[0]);
        String awaited = args[1];
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;

        Map<String, Object> sample = new TreeMap<>(Map.of("temp", 21.5, "unit", "C"));
        System.out.println("jackson-json=" + new ObjectMapper().writeValueAsString(sample));
        System.out.println("jackson-jar=" + location(ObjectMapper.class));
        System.out.println("bytebuddy-jar=" + location(net.bytebuddy.ByteBuddy.class));
        System.out.println("bytebuddy-works=" + new net.bytebuddy.ByteBuddy().subclass(Object.class).make()
                .load(ClashApp.class.getClassLoader()).getLoaded().getName().contains("ByteBuddy"));
        System.out.println("jna-jar=" + location(Native.class));
        System.out.println("jna-getpid=" + (Native.load("c", LibC.class).getpid() == ProcessHandle.current().pid()));
        for (String name : new String[] {"io.microagent.core.Agent", "io.microagent.shaded.jackson.databind.ObjectMapper",
                "io.microagent.shaded.bytebuddy.ByteBuddy", "io.microagent.config.Configuration"}) {
            try {
                Class.forName(name);
                System.out.println("visible=" + name);
            } catch (ClassNotFoundException expected) {
                // The agent's classes must stay invisible to the application.
            }
        }
        while (!String.valueOf(System.getProperty("io.microagent.running")).startsWith("running")) {
            check(deadline, "agent did not report running: " + System.getProperty("io.microagent.running"));
            Thread.sleep(20);
        }
        System.out.println("agent=" + System.getProperty("io.microagent.running"));
        if (awaited.equals("hang")) {
            System.out.println("hanging");
            Thread.sleep(Long.MAX_VALUE);
        }
        if (!awaited.equals("none")) {
            String text = awaited.contains(":") ? awaited : "\"Name\":\"" + awaited + "\"";
            while (!Files.exists(output) || !Files.readString(output).contains(text)) {
                check(deadline, "no " + awaited + " event in " + output);
                Thread.sleep(50);
            }
        }
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("iot-micro-agent"))
                .forEach(t -> System.out.println("agent-thread=" + t.getName() + ",daemon=" + t.isDaemon()));
        // The agent must not make the JVM's platform MBean server (3.5 MB on a device) for a bean nobody reads.
        System.out.println("mbean-servers=" + javax.management.MBeanServerFactory.findMBeanServer(null).size());
        System.out.println("app-done");
    }

    private static String location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            System.out.println("timeout: " + what);
            System.exit(3);
        }
    }
}
