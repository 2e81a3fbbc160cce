package io.microagent.output.iothub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import io.microagent.bridge.ClientRegistry;
import io.microagent.testing.CapturedLog;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which of the application's clients the output uses, with real SDK clients (made, never opened). */
class IotHubOutputTest {
    static final String KEY = "ZGV2LWtleQ==";
    final CapturedLog log = new CapturedLog();
    final List<Object> clients = List.of(
            new DeviceClient("HostName=hub.example.test;DeviceId=dev1;SharedAccessKey=" + KEY, IotHubClientProtocol.MQTT),
            new DeviceClient("HostName=hub.example.test;DeviceId=dev2;SharedAccessKey=" + KEY, IotHubClientProtocol.MQTT),
            new ModuleClient("HostName=hub.example.test;DeviceId=gw;ModuleId=filter;SharedAccessKey=" + KEY,
                    IotHubClientProtocol.MQTT));


    /** Keeps the static registry clean for other tests. */
    @AfterEach
    void forget() {
        clients.forEach(ClientRegistry::closed);
    }

    @Test
    void noOpenClientMeansNotReady() {
        clients.forEach(ClientRegistry::made);
        IotHubOutput output = new IotHubOutput(null, log.log(), null);
        assertFalse(output.ready(), "made but not opened by the application");
        assertTrue(output.send(new byte[] {'{', '}'}).isCompletedExceptionally());
    }

    @Test
    void theFirstClientSeenIsUsedUnlessAKeyNamesAnother() {
        clients.forEach(ClientRegistry::inUse);
        IotHubOutput first = new IotHubOutput(null, log.log(), null);
        assertTrue(first.ready());
        assertEquals("dev1", first.clientIdentity());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("3 clients seen; the first one seen")), log.lines()
                .toString());

        IotHubOutput named = new IotHubOutput("gw/filter", log.log(), null);
        assertTrue(named.ready());
        assertEquals("gw/filter", named.clientIdentity());

        IotHubOutput absent = new IotHubOutput("nope", log.log(), null);
        assertFalse(absent.ready());
        assertNull(absent.clientIdentity());

        ClientRegistry.closed(clients.get(0));
        assertTrue(first.ready());
        assertEquals("dev2", first.clientIdentity(), "the application closed dev1: the next open one");
    }

}
