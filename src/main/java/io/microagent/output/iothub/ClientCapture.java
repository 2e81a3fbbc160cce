package io.microagent.output.iothub;


import io.microagent.bridge.ClientRegistry;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Installs the capture advice on the SDK's {@code InternalClient} (every DeviceClient and ModuleClient send
 * goes through it): at construction, and on entry to the methods applications call often, for clients made
 * before a late attach. Retransformation with advice only: no new fields or methods in the host's classes.
 */
public final class ClientCapture {
    static final String INTERNAL_CLIENT = "com.microsoft.azure.sdk.iot.device.InternalClient";
    static final String BRIDGE = "io.microagent.bridge.ClientRegistry";
    private static final String INTERNAL_CLIENT_PATH = INTERNAL_CLIENT.replace('.', '/');
    private static final String DEVICE_TWIN_PATH = TwinAccess.DEVICE_TWIN.replace('.', '/');

    private ClientCapture() {
    }

    /**
     * Defines the bridge classes in the bootstrap loader (without a jar on the bootstrap path, which would make
     * the JVM print a class-sharing warning). Must run before any agent code touches the bridge.
     */
    public static void defineBridge(Instrumentation instrumentation) throws IOException {
        // By name: a ClientRegistry.class literal would load the agent loader's own copy before this one exists.
        String name = BRIDGE;
        byte[] bytes;
        try (InputStream in = ClientCapture.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException("the agent jar lacks " + name);
            }
            bytes = in.readAllBytes();
        }
        defineInBootstrap(instrumentation, name, bytes);
    }

    /**
     * Instruments the SDK's client and twin classes, loaded or not: a transformer that compares class names, and
     * retransformation of those already loaded. Installed once the agent has started: while a transformer is
     * installed, the JVM hands every class it loads to it, its bytes read and copied (for a class from the JDK's
     * shared archive, from the module image), which for the agent's own thousand classes cost the device about a
     * megabyte of resident memory. A client made meanwhile is found as after a late attach.
     */
    public static void watch(Instrumentation instrumentation, AgentLog log) {
        // Byte Buddy sees only the SDK's two classes, and is loaded only when one of them is: matching every class
        // the application loads cost more start-up time than anything else the capture does, and Byte Buddy's own
        // 800 classes cost an application without the SDK (or not yet using it) 4 MB of resident memory.
        ClassFileTransformer byName = new ClassFileTransformer() {
            private ClassFileTransformer advice;

            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefining,
                    ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
                if (name == null || !(name.equals(INTERNAL_CLIENT_PATH) || name.equals(DEVICE_TWIN_PATH))) {
                    return null;
                }
                synchronized (this) {
                    if (advice == null) {
                        advice = CaptureTransformer.create(log);
                    }
                }
                return advice.transform(module, loader, name, redefining, domain, bytes);
            }
        };
        instrumentation.addTransformer(byName, true);
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) { // a late attach: the SDK may be loaded
            if (loaded.getName().equals(INTERNAL_CLIENT) || loaded.getName().equals(TwinAccess.DEVICE_TWIN)) {
                // Known at once (instrumenting takes a second or two): from now on IoT Hub's messages are kept.
                io.microagent.bridge.ClientRegistry.sdkLoaded();
                try {
                    instrumentation.retransformClasses(loaded);
                } catch (java.lang.instrument.UnmodifiableClassException | RuntimeException e) {
                    log.error("could not instrument " + loaded.getName() + " (the IoT Hub output stays off; file and"
                            + " stdout outputs work): " + e);
                }
            }
        }
    }

    /**
     * Defines a class in the bootstrap loader with the JDK's internal Unsafe, exported to the agent's module
     * through Instrumentation. Quieter than the alternatives: appending a jar to the bootstrap path makes the
     * JVM warn about class sharing, and sun.misc.Unsafe warns from JDK 24 on.
     */
    private static void defineInBootstrap(Instrumentation instrumentation, String name, byte[] bytes)
            throws IOException {
        try {
            Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
            instrumentation.redefineModule(unsafeType.getModule(), Set.of(),
                    Map.of("jdk.internal.misc", Set.of(ClientCapture.class.getModule())), Map.of(), Set.of(), Map.of());
            Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
            unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class,
                    ProtectionDomain.class).invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot define " + name + " in the bootstrap loader: " + e, e);
        }
    }
}
