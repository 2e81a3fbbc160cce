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

    IotHubClientAdapter(Object client) throws ReflectiveOperationException {
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
        sendEventAsync = lookup.findVirtual(client.getClass(), "sendEventAsync",
                MethodType.methodType(void.class, message, callbackType, Object.class));
        MethodHandle getConfig = lookup.findVirtual(client.getClass(), "getConfig",
                MethodType.methodType(Class.forName(SDK + "ClientConfiguration", false, sdk)));
        String[] ids;
        try {
            ids = ids(lookup, getConfig.invoke(client));
        } catch (Throwable t) {
            ids = new String[] {"?", null};
        }
        deviceId = ids[0];
        moduleId = ids[1];
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
            sendEventAsync.invoke(client, message, callback, null);
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
