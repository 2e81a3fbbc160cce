package io.microagent.e2e;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts the sample device the way a Spring Boot fat jar does: the SDK and the application live in a child class
 * loader that the system class path cannot see. args[0] is that loader's class path; the rest go to the device,
 * or to the main class named by {@code -Dlauncher.main}.
 */
public final class ChildLoaderLauncher {
    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        ClassLoader child = new URLClassLoader("device-app", urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(child);
        String main = System.getProperty("launcher.main", "io.microagent.sample.SampleDevice");
        Class<?> device = Class.forName(main, true, child);
        if (main.endsWith("SampleDevice")) {
            System.out.println("launcher: SDK in " + Class.forName("com.microsoft.azure.sdk.iot.device.DeviceClient",
                    false, child).getClassLoader().getName());
        }
        device.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
