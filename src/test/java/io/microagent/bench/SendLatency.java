package io.microagent.bench;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import io.microagent.sample.EmbeddedHub;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For src/bench/send-latency.sh: the application's own synchronous sends (QoS 1 to the local hub in this JVM),
 * timed one by one after a warm-up; prints p50 and p99 in milliseconds and how many security messages the hub
 * received meanwhile.
 */
public final class SendLatency {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        AtomicLong security = new AtomicLong();
        try (EmbeddedHub hub = EmbeddedHub.start(Path.of("target", "bench-hub-pki").toAbsolutePath(), r -> {
            if (r.isSecurityMessage()) {
                security.incrementAndGet();
            }
        })) {
            DeviceClient client = new DeviceClient("HostName=127.0.0.1;DeviceId=bench;SharedAccessKey=YmVuY2g=",
                    IotHubClientProtocol.MQTT, ClientOptions.builder().sslContext(hub.clientContext()).build());
            client.open(true);
            for (int i = 0; i < 200; i++) {
                client.sendEvent(new Message("{\"warmup\":" + i + "}"));
            }
            long[] micros = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                client.sendEvent(new Message("{\"seq\":" + i + ",\"temperature\":21.5}"));
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            client.close();
            Arrays.sort(micros);
            System.out.printf("sends=%d p50_ms=%.2f p99_ms=%.2f security_messages_meanwhile=%d%n", n,
                    micros[n / 2] / 1000.0, micros[(int) (n * 0.99)] / 1000.0, security.get());
        }
    }
}
