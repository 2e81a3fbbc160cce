package io.microagent.output.iothub;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds clients the application opened before the agent could see them and has not touched since (a late
 * attach to a device that only waits for cloud messages). When idle, the SDK's own threads block and call
 * nothing the advice could see, so the agent looks instead: from the SDK's and its MQTT/AMQP libraries' threads
 * it follows their objects' fields (reading only, never calling them) to the SDK's {@code DeviceIO}, the object
 * every client's {@code sendEventAsync} hands its messages to. Bounded, and run only while no client is known.
 */
final class IdleClients {
    static final String DEVICE_IO = "com.microsoft.azure.sdk.iot.device.DeviceIO";
    private static final List<String> FOLLOWED = List.of("com.microsoft.azure.sdk.iot.", "org.eclipse.paho.",
            "org.apache.qpid.proton.", "com.microsoft.azure.proton.");
    private static final int MAX_OBJECTS = 20_000;

    private final Instrumentation instrumentation;
    private boolean threadsReadable;

    IdleClients(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** Every {@code DeviceIO} reachable from the SDK's threads, in the order found. */
    List<Object> find() {
        if (!threadsReadable) {
            // A thread's Runnable is a private field of java.lang.Thread: opened to the agent alone.
            instrumentation.redefineModule(Thread.class.getModule(), Set.of(), Map.of(),
                    Map.of("java.lang", Set.of(IdleClients.class.getModule())), Set.of(), Map.of());
            threadsReadable = true;
        }
        Deque<Object> todo = new ArrayDeque<>();
        for (Thread thread : threads()) {
            Object task = task(thread);
            if (task != null && followed(task.getClass())) {
                todo.add(task);
            }
        }
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> found = new ArrayList<>();
        while (!todo.isEmpty() && seen.size() < MAX_OBJECTS) {
            Object o = todo.poll();
            if (!seen.add(o)) {
                continue;
            }
            if (o.getClass().getName().equals(DEVICE_IO)) {
                found.add(o);
            }
            for (Class<?> c = o.getClass(); c != null && followed(c); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    Object value = read(f, o);
                    if (value != null && followed(value.getClass()) && !seen.contains(value)) {
                        todo.add(value);
                    }
                }
            }
        }
        return found;
    }

    private static boolean followed(Class<?> type) {
        String name = type.getName();
        for (String prefix : FOLLOWED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static List<Thread> threads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        return java.util.Arrays.asList(all).subList(0, n);
    }

    /** The thread's Runnable: {@code target} up to JDK 20, {@code holder.task} from JDK 21. */
    private static Object task(Thread thread) {
        try {
            return read(Thread.class.getDeclaredField("target"), thread);
        } catch (NoSuchFieldException e) {
            try {
                Object holder = read(Thread.class.getDeclaredField("holder"), thread);
                return holder == null ? null : read(holder.getClass().getDeclaredField("task"), holder);
            } catch (NoSuchFieldException | RuntimeException again) {
                return null;
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a field the agent may not read is one path less, not a failure
        }
    }
}
