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

    private ClientRegistry() {
    }

    /** A client was made (advice at construction): known, not open yet. */
    public static void made(Object client) {
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
        synchronized (CLIENTS) {
            add(CLIENTS, client);
            changed = add(OPEN, client);
            lastOpen = client;
        }
        if (changed) {
            notifyListener();
        }
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
            try {
                l.run();
            } catch (Throwable t) {
                // The agent's listener must not reach the application.
            }
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
