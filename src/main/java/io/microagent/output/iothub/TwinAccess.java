package io.microagent.output.iothub;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The application's device twin, through its own client and the SDK's public twin API: the agent reads the twin
 * ({@code getTwinAsync}) and, only where the application never subscribed to desired properties, subscribes
 * with a callback that does nothing (patches reach the agent through the advice on the SDK's {@code DeviceTwin},
 * whoever subscribed). When the application subscribes later, the SDK gives the subscription to it: the agent
 * steps aside by construction. The agent never sets reported properties.
 */
public final class TwinAccess {
    private static final String TWIN = "com.microsoft.azure.sdk.iot.device.twin.";
    static final String DEVICE_TWIN = TWIN + "DeviceTwin";
    private static final String DESIRED_PATCH = "DEVICE_OPERATION_TWIN_SUBSCRIBE_DESIRED_PROPERTIES_RESPONSE";
    private static final String GET_RESPONSE = "DEVICE_OPERATION_TWIN_GET_RESPONSE";

    /** The agent's own desired-properties callback, per SDK class loader (one agent per JVM). */
    private static volatile Object ownCallback;

    private TwinAccess() {
    }

    /** Who holds the client's desired-properties subscription. */
    public enum Subscriber { NOBODY, APPLICATION, AGENT }

    public static Subscriber subscriber(Object client) {
        try {
            Object twin = field(client, "twin");
            if (twin == null) {
                return Subscriber.NOBODY;
            }
            Object callback = field(twin, "desiredPropertiesCallback");
            return callback == null ? Subscriber.NOBODY : callback == ownCallback ? Subscriber.AGENT
                    : Subscriber.APPLICATION;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Subscriber.NOBODY;
        }
    }

    /** Asks for the whole twin; {@code desired} gets the desired properties' JSON (with {@code $version}). */
    public static void read(Object client, Consumer<String> desired, Consumer<Throwable> failed) {
        try {
            ClassLoader sdk = client.getClass().getClassLoader();
            Class<?> callbackType = Class.forName(TWIN + "GetTwinCallback", false, sdk);
            Object callback = proxy(callbackType, "onTwinReceived", args -> {
                if (args[1] != null) {
                    failed.accept((Throwable) args[1]);
                    return;
                }
                try {
                    Object properties = args[0].getClass().getMethod("getDesiredProperties").invoke(args[0]);
                    desired.accept(String.valueOf(properties));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    failed.accept(e);
                }
            });
            method(client.getClass(), "getTwinAsync", callbackType, Object.class).invoke(client, callback, null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            failed.accept(e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e);
        }
    }

    /** Subscribes to desired properties for an application that never did; {@code done} runs when acknowledged. */
    public static void subscribe(Object client, Runnable done, Consumer<Throwable> failed) {
        try {
            ClassLoader sdk = client.getClass().getClassLoader();
            Class<?> desiredType = Class.forName(TWIN + "DesiredPropertiesCallback", false, sdk);
            Class<?> ackType = Class.forName(TWIN + "SubscriptionAcknowledgedCallback", false, sdk);
            Object own = proxy(desiredType, "onDesiredPropertiesUpdated", args -> { });
            Object ack = proxy(ackType, "onSubscriptionAcknowledged", args -> {
                if (args[0] == null) {
                    done.run();
                } else {
                    failed.accept((Throwable) args[0]);
                }
            });
            ownCallback = own;
            method(client.getClass(), "subscribeToDesiredPropertiesAsync", desiredType, Object.class, ackType,
                    Object.class).invoke(client, own, null, ack, null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            failed.accept(e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e);
        }
    }

    /**
     * A message the SDK's {@code DeviceTwin} received, as the advice hands it over: the client it belongs to and, when
     * it is a desired-properties patch, the patch's JSON, or when it answers a twin read (the application's or the
     * agent's), the whole twin's JSON ({@code {"desired":...,"reported":...}}).
     */
    public record Received(Object client, String desiredPatch, String twin) {
    }

    public static Received received(Object deviceTwin, Object message) {
        try {
            Object client = field(deviceTwin, "client");
            Object operation = message.getClass().getMethod("getDeviceOperationType").invoke(message);
            String op = String.valueOf(operation);
            if (!DESIRED_PATCH.equals(op) && !GET_RESPONSE.equals(op)) {
                return new Received(client, null, null);
            }
            byte[] body = (byte[]) message.getClass().getMethod("getBytes").invoke(message);
            String json = new String(body, StandardCharsets.UTF_8);
            return DESIRED_PATCH.equals(op) ? new Received(client, json, null) : new Received(client, null, json);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Received(null, null, null);
        }
    }

    private interface Handler {
        void handle(Object[] args);
    }

    private static Object proxy(Class<?> type, String methodName, Handler handler) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals(methodName)) {
                handler.handle(args);
                return null;
            }
            return switch (method.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "iot-micro-agent twin callback";
            };
        });
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        return type.getMethod(name, parameters);
    }

    /** A private field of the SDK's object, declared on its class or a superclass. */
    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new NoSuchFieldException(name);
    }
}
