package io.microagent.output.iothub;

import io.microagent.bridge.ClientRegistry;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the SDK's {@code InternalClient}: tells the bridge about {@code this}. Only the bridge (in the
 * bootstrap loader) is referenced, so the code works in any class loader; failures are suppressed.
 */
final class CaptureAdvice {
    private CaptureAdvice() {
    }

    /** Clients made after the agent started. */
    static final class OnConstruct {
        private OnConstruct() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object client) {
            ClientRegistry.made(client);
        }
    }

    /** The application opened a client (and open returned normally). */
    static final class OnOpen {
        private OnOpen() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object client, @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                ClientRegistry.inUse(client);
            }
        }
    }

    /** The application sends: the client is open (this also finds clients made before a late attach). */
    static final class OnSend {
        private OnSend() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object client) {
            ClientRegistry.inUse(client);
        }
    }

    /** The application closes a client: the agent may send what is due first; then it is gone. */
    static final class OnClose {
        private OnClose() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object client) {
            ClientRegistry.closing(client);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object client) {
            ClientRegistry.closed(client);
        }
    }

    /** The SDK's twin handler received a message (a desired-properties patch among them), for whichever callback. */
    static final class OnTwinMessage {
        private OnTwinMessage() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object deviceTwin, @Advice.Argument(0) Object message) {
            ClientRegistry.twinMessage(deviceTwin, message);
        }
    }

    /** A twin request (get, reported update, subscription) on the SDK's twin handler, the application's or the agent's. */
    static final class OnTwinRequest {
        private OnTwinRequest() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ClientRegistry.twinRequest();
        }
    }
}
