package io.microagent.output.iothub;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;

/**
 * Drives one of the application's own clients through method handles on its SDK classes (never a bundled
 * copy): builds a security message and sends it with the agent's own callback. Made for the SDK 2.x API; an
 * older client fails here with a clear message.
 */
final class IotHubClientAdapter {
    private static final String SDK = "com.microsoft.azure.sdk.iot.device.";

    private final Object client;
    private final Class<?> callbackType;
    private final MethodHandle newMessage;
    private final MethodHandle setAsSecurityMessage;
    private final MethodHandle setContentType;
    private final MethodHandle setContentEncoding;
    private final MethodHandle sendEventAsync;
    private final String deviceId;
    private final String moduleId;
    /** For a client found idle ({@link IdleClients}): its DeviceIO's own isOpen, and the message's identity. */
    private final MethodHandle isOpen;
    private final MethodHandle setConnectionDeviceId;
    private final MethodHandle setConnectionModuleId;

    IotHubClientAdapter(Object client) throws ReflectiveOperationException {
        this(client, false);
    }

    /**
     * Drives {@code client}: a client ({@code DeviceClient}, {@code ModuleClient}), or, with {@code deviceIO},
     * the SDK's {@code DeviceIO} behind a client found idle, to which the client's {@code sendEventAsync}
     * delegates: the agent then does what that method does (the message's connection identity, then the send).
     */
    IotHubClientAdapter(Object client, boolean deviceIO) throws ReflectiveOperationException {
        this.client = client;
        ClassLoader sdk = client.getClass().getClassLoader();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> message = Class.forName(SDK + "Message", false, sdk);
        try {
            callbackType = Class.forName(SDK + "MessageSentCallback", false, sdk);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("iot-device-client 1.x is not supported (no MessageSentCallback);"
                    + " use 2.x", e);
        }
        newMessage = lookup.findConstructor(message, MethodType.methodType(void.class, byte[].class));
        setAsSecurityMessage = lookup.findVirtual(message, "setAsSecurityMessage", MethodType.methodType(void.class));
        setContentType = lookup.findVirtual(message, "setContentType",
                MethodType.methodType(void.class, String.class));
        setContentEncoding = lookup.findVirtual(message, "setContentEncoding",
                MethodType.methodType(void.class, String.class));
        Object config;
        if (deviceIO) {
            java.lang.reflect.Method send = client.getClass().getDeclaredMethod("sendEventAsync", message, callbackType,
                    Object.class, String.class);
            send.setAccessible(true);
            sendEventAsync = MethodHandles.lookup().unreflect(send);
            java.lang.reflect.Method open = client.getClass().getDeclaredMethod("isOpen");
            open.setAccessible(true);
            isOpen = MethodHandles.lookup().unreflect(open);
            setConnectionDeviceId = lookup.findVirtual(message, "setConnectionDeviceId",
                    MethodType.methodType(void.class, String.class));
            setConnectionModuleId = lookup.findVirtual(message, "setConnectionModuleId",
                    MethodType.methodType(void.class, String.class));
            config = configOf(client);
        } else {
            sendEventAsync = lookup.findVirtual(client.getClass(), "sendEventAsync",
                    MethodType.methodType(void.class, message, callbackType, Object.class));
            isOpen = null;
            setConnectionDeviceId = null;
            setConnectionModuleId = null;
            MethodHandle getConfig = lookup.findVirtual(client.getClass(), "getConfig",
                    MethodType.methodType(Class.forName(SDK + "ClientConfiguration", false, sdk)));
            try {
                config = getConfig.invoke(client);
            } catch (Throwable t) {
                config = null;
            }
        }
        String[] ids = config == null ? new String[] {"?", null} : ids(lookup, config);
        deviceId = ids[0];
        moduleId = ids[1];
    }

    /** The configuration of the one client a DeviceIO serves: its transport's only entry. */
    private static Object configOf(Object deviceIO) throws ReflectiveOperationException {
        java.lang.reflect.Field transport = deviceIO.getClass().getDeclaredField("transport");
        transport.setAccessible(true);
        Object t = transport.get(deviceIO);
        java.lang.reflect.Field configs = t.getClass().getDeclaredField("deviceClientConfigs");
        configs.setAccessible(true);
        java.util.Map<?, ?> all = (java.util.Map<?, ?>) configs.get(t);
        if (all.size() != 1) {
            throw new ReflectiveOperationException("a connection shared by " + all.size() + " clients (multiplexed)");
        }
        return all.values().iterator().next();
    }

    /** Whether the client can take messages: for a found DeviceIO, its own state; else the registry's say. */
    boolean open(java.util.List<Object> openClients) {
        if (isOpen == null) {
            return openClients.contains(client);
        }
        try {
            return (boolean) isOpen.invoke(client);
        } catch (Throwable t) {
            return false;
        }
    }

    /** Whether this drives a client found idle (through its DeviceIO) rather than one the registry knows. */
    boolean foundIdle() {
        return isOpen != null;
    }

    /** Whether closing {@code closing} (a client) closes what this adapter sends through. */
    boolean drives(Object closing) {
        if (closing == client) {
            return true;
        }
        if (isOpen == null || closing == null) {
            return false;
        }
        for (Class<?> c = closing.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field io = c.getDeclaredField("deviceIO");
                io.setAccessible(true);
                return io.get(closing) == client;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not declared here: the superclass
            }
        }
        return false;
    }

    Object client() {
        return client;
    }

    /** "device" or "device/module", as the client's configuration names it. */
    String identity() {
        return moduleId == null || moduleId.isEmpty() ? deviceId : deviceId + "/" + moduleId;
    }

    /** Sends {@code body} as a security message; completes when the SDK's callback says it was delivered. */
    CompletableFuture<Void> send(byte[] body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            Object message = newMessage.invoke(body);
            if (setConnectionDeviceId != null) {
                setConnectionDeviceId.invoke(message, deviceId);
                if (moduleId != null && !moduleId.isEmpty()) {
                    setConnectionModuleId.invoke(message, moduleId);
                }
            }
            setAsSecurityMessage.invoke(message);
            setContentType.invoke(message, "application/json");
            setContentEncoding.invoke(message, "utf-8");
            Object callback = Proxy.newProxyInstance(callbackType.getClassLoader(), new Class<?>[] {callbackType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("onMessageSent")) {
                            if (args[1] == null) {
                                done.complete(null);
                            } else {
                                done.completeExceptionally((Throwable) args[1]);
                            }
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "iot-micro-agent send callback";
                        };
                    });
            if (setConnectionDeviceId != null) {
                sendEventAsync.invoke(client, message, callback, null, deviceId);
            } else {
                sendEventAsync.invoke(client, message, callback, null);
            }
        } catch (Throwable t) {
            done.completeExceptionally(t); // a closed client refuses with IllegalStateException: retried later
        }
        return done;
    }

    private static String[] ids(MethodHandles.Lookup lookup, Object config) {
        String[] ids = new String[2];
        try {
            ids[0] = (String) lookup.findVirtual(config.getClass(), "getDeviceId", MethodType.methodType(String.class))
                    .invoke(config);
            ids[1] = (String) lookup.findVirtual(config.getClass(), "getModuleId", MethodType.methodType(String.class))
                    .invoke(config);
        } catch (Throwable t) {
            ids[0] = ids[0] == null ? "?" : ids[0];
        }
        return ids;
    }
}
