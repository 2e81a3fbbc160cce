package io.microagent.output.iothub;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.microagent.bridge.ClientRegistry;
import io.microagent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Byte Buddy's transformer for the capture advice, a class of its own so that nothing loads Byte Buddy (its classes
 * and its jar, see AgentLoader) before the SDK's client or twin class first appears: {@link ClientCapture} names no
 * Byte Buddy type.
 */
final class CaptureTransformer {
    private CaptureTransformer() {
    }

    /** Byte Buddy's transformer: the capture advice on the SDK's client and twin classes. */
    static ClassFileTransformer create(AgentLog log) {
        // Byte Buddy's "safe" mode: no sun.misc.Unsafe, which JDK 24+ warns about on the host's stderr. Named from
        // the (relocated) package, so only the agent's own Byte Buddy reads it, never the application's.
        System.setProperty(AgentBuilder.class.getPackageName().replace(".agent.builder", ".safe"), "true");
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Listener(log))
                .ignore(nameStartsWith("io.microagent.").or(nameStartsWith("java.")).or(nameStartsWith("jdk.")))
                .type(named(ClientCapture.INTERNAL_CLIENT))
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(CaptureTransformer.class.getClassLoader())
                        .advice(isConstructor(), CaptureAdvice.OnConstruct.class.getName())
                        .advice(isMethod().and(named("open")), CaptureAdvice.OnOpen.class.getName())
                        .advice(isMethod().and(named("close")), CaptureAdvice.OnClose.class.getName())
                        .advice(isMethod().and(named("sendEventAsync").or(named("sendEventsAsync"))
                                .or(named("sendEvent")).or(named("sendEvents"))),
                                CaptureAdvice.OnSend.class.getName()))
                .type(named(TwinAccess.DEVICE_TWIN))
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(CaptureTransformer.class.getClassLoader())
                        .advice(isMethod().and(named("onCloudToDeviceMessageReceived")),
                                CaptureAdvice.OnTwinMessage.class.getName())
                        .advice(isMethod().and(named("getTwinAsync").or(named("updateReportedPropertiesAsync"))
                                .or(named("subscribeToDesiredPropertiesAsync"))),
                                CaptureAdvice.OnTwinRequest.class.getName()))
                .makeRaw();
    }

    /** Logs what happened to the SDK class, once per outcome. */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        private final AgentLog log;

        Listener(AgentLog log) {
            this.log = log;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            log.debug(() -> "IoT Hub client capture installed on " + type.getName() + " in " + loader);
            ClientRegistry.sdkLoaded();
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            log.error("could not instrument " + typeName + " (the IoT Hub output stays off; file and stdout"
                    + " outputs work): " + error);
        }
    }
}
