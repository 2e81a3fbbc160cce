package io.microagent.bridge;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-off point for IoT Hub clients. The agent defines this class in the bootstrap loader, so advice
 * inlined into the SDK (in whatever loader the application uses) and the agent (in its own loader) see the same
 * one. It holds clients weakly, in the order first seen, with whether the application has them open; it knows
 * nothing of the agent.
 */
public final class ClientRegistry {
    private static final List<WeakReference<Object>> CLIENTS = new ArrayList<>();
    private static final List<WeakReference<Object>> OPEN = new ArrayList<>();
    private static volatile Object lastOpen;
    private static volatile Runnable listener;
    private static volatile boolean seen;
    private static volatile java.util.function.Consumer<Object> closingListener;
    private static volatile java.util.function.BiConsumer<Object, Object> twinListener;
    private static volatile Runnable twinRequestListener;

    private ClientRegistry() {
    }

    /** A client was made (advice at construction): known, not open yet. */
    public static void made(Object client) {
        markSeen();
        synchronized (CLIENTS) {
            add(CLIENTS, client);
        }
    }

    /**
     * The application opened or is using a client (advice on open and send methods): O(1) when it is the client
     * last seen in use, and never throws.
     */
    public static void inUse(Object client) {
        if (client == lastOpen || client == null) {
            return;
        }
        boolean changed;
        markSeen();
        synchronized (CLIENTS) {
            add(CLIENTS, client);
            changed = add(OPEN, client);
            lastOpen = client;
        }
        if (changed) {
            notifyListener();
        }
    }

    /**
     * The application is about to close a client (advice on entry to close): the agent may hand it what is due,
     * within its own bound, before the close goes on. Never throws.
     */
    public static void closing(Object client) {
        java.util.function.Consumer<Object> l = closingListener;
        if (l != null && client != null) {
            quietly(() -> l.accept(client));
        }
    }

    /**
     * The SDK's device twin handler received a message (advice on entry to its handler, before the application's
     * callback runs): the agent reads desired-property patches from it. Never throws.
     */
    public static void twinMessage(Object deviceTwin, Object message) {
        java.util.function.BiConsumer<Object, Object> l = twinListener;
        if (l != null && deviceTwin != null && message != null) {
            quietly(() -> l.accept(deviceTwin, message));
        }
    }

    /** A twin request is being made on the SDK's twin handler (advice on its request methods). Never throws. */
    public static void twinRequest() {
        Runnable l = twinRequestListener;
        if (l != null) {
            quietly(l);
        }
    }

    /** The agent's hook for {@link #twinRequest()}. */
    public static void listenForTwinRequests(Runnable listener) {
        twinRequestListener = listener;
    }

    /** The agent's hook for {@link #twinMessage(Object, Object)}. */
    public static void listenForTwinMessages(java.util.function.BiConsumer<Object, Object> listener) {
        twinListener = listener;
    }

    /** The agent's hook for {@link #closing(Object)}. */
    public static void listenForClosing(java.util.function.Consumer<Object> clientClosing) {
        closingListener = clientClosing;
    }

    /** The application closed a client (advice on close). */
    public static void closed(Object client) {
        synchronized (CLIENTS) {
            OPEN.removeIf(ref -> ref.get() == null || ref.get() == client);
            if (lastOpen == client) {
                lastOpen = null;
            }
        }
    }

    /**
     * Whether the application has the SDK's client (its class loaded, a client made or used): then its messages
     * are worth keeping across a restart, even while no client is open yet.
     */
    public static boolean seen() {
        return seen;
    }

    /** The SDK's client class is loaded in the application (told by the agent when it instruments it). */
    public static void sdkLoaded() {
        markSeen();
    }

    /** The first sign of the SDK tells the agent at once: from then on its messages are kept on disk. */
    private static void markSeen() {
        if (!seen) {
            seen = true;
            notifyListener();
        }
    }

    /** Clients still alive that the application has open, oldest first. */
    public static List<Object> openClients() {
        List<Object> alive = new ArrayList<>();
        synchronized (CLIENTS) {
            OPEN.removeIf(ref -> ref.get() == null);
            for (WeakReference<Object> ref : OPEN) {
                Object c = ref.get();
                if (c != null) {
                    alive.add(c);
                }
            }
        }
        return alive;
    }

    /** The agent's hook: told when a client becomes usable. */
    public static void listen(Runnable clientOpened) {
        listener = clientOpened;
    }

    private static void notifyListener() {
        Runnable l = listener;
        if (l != null) {
            quietly(l);
        }
    }

    /** Runs one of the agent's listeners on the application's thread: nothing it throws reaches the application. */
    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            // The agent's listener must not reach the application.
        }
    }

    private static boolean add(List<WeakReference<Object>> list, Object client) {
        for (WeakReference<Object> ref : list) {
            if (ref.get() == client) {
                return false;
            }
        }
        list.add(new WeakReference<>(client));
        return true;
    }
}
