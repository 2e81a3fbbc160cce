package io.microagent.collect.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.config.Configuration;
import io.microagent.core.Failures;
import io.microagent.event.DropLedger;
import io.microagent.event.DroppedEvents;
import io.microagent.event.SecurityEvent;
import io.microagent.testing.Await;
import io.microagent.testing.CapturedLog;
import io.microagent.testing.KernelTests;
import io.microagent.testing.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ConnectionCreate on the real kernel (sock_diag broadcasts and dumps): root, and run under CI. */
class ConnectionKernelTest {
    final CapturedLog log = new CapturedLog();
    final DropLedger drops = new DropLedger();
    final ExecutorService server = Executors.newCachedThreadPool();
    final List<ConnectionCollector> started = new ArrayList<>();

    @BeforeEach
    void root() {
        KernelTests.requireRoot();
    }

    @AfterEach
    void stop() {
        started.forEach(ConnectionCollector::stop);
        server.shutdownNow();
    }

    ConnectionCollector collector(String arguments) throws IOException {
        ConnectionCollector c = new ConnectionCollector(Configuration.load(arguments, Map.of(), Map.of()), drops,
                log.log(), new Failures(log.log()));
        c.start();
        started.add(c);
        return c;
    }

    /** Payloads of successive windows (each window's list kept apart) until {@code done} holds, or 20 s pass. */
    static List<List<ConnectionCreate>> windowsUntil(ConnectionCollector c, Predicate<List<ConnectionCreate>> done)
            throws InterruptedException {
        List<List<ConnectionCreate>> windows = new ArrayList<>();
        List<ConnectionCreate> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.test(all) && System.nanoTime() < deadline) {
            List<ConnectionCreate> window = payloads(c.collect(Instant.now()));
            windows.add(window);
            all.addAll(window);
            Thread.sleep(20);
        }
        return windows;
    }

    static List<ConnectionCreate> payloads(List<SecurityEvent> events) {
        List<ConnectionCreate> list = new ArrayList<>();
        events.forEach(e -> e.payload().forEach(p -> list.add((ConnectionCreate) p)));
        return list;
    }


    static String key(String local, int localPort, String remote, int remotePort, String protocol) {
        return protocol + " " + local + ":" + localPort + " " + remote + ":" + remotePort;
    }

    static Map<String, ConnectionCreate> byKey(List<ConnectionCreate> payloads) {
        Map<String, ConnectionCreate> map = new HashMap<>();
        for (ConnectionCreate p : payloads) {
            map.merge(key(p.localAddress(), p.localPort(), p.remoteAddress(), p.remotePort(), p.protocol()), p,
                    (a, b) -> new ConnectionCreate(a.timestamp(), a.localAddress(), a.remoteAddress(), a.localPort(),
                            a.remotePort(), a.protocol(), a.direction(), sum(a.bytesIn(), b.bytesIn()),
                            sum(a.bytesOut(), b.bytesOut()), a.applicationProtocol(), a.extendedProperties(),
                            a.dnsHitCount(), a.hitCount() + b.hitCount()));
        }
        return map;
    }

    static Long sum(Long a, Long b) {
        return a == null ? b : b == null ? a : a + b;
    }

    /** Serves: reads {@code request} bytes, answers {@code response} bytes, then waits for the client's close. */
    Future<?> serve(ServerSocket listener, int request, int response) {
        return server.submit(() -> {
            try (Socket s = listener.accept()) {
                s.getInputStream().readNBytes(request);
                s.getOutputStream().write(new byte[response]);
                s.getOutputStream().flush();
                assertEquals(-1, s.getInputStream().read());
            }
            return null;
        });
    }

    /** Found by CI: a connection closed after its server stopped listening (and a window closed) was called Out. */
    @Test
    void aConnectionThatOutlivesItsListenerIsStillIn() throws Exception {
        InetAddress address = InetAddress.getByName("127.0.0.1");
        Socket client;
        Socket accepted;
        int port;
        ConnectionCollector c;
        try (ServerSocket listener = Ports.serverBelowEphemeralRange(address)) {
            port = listener.getLocalPort();
            c = collector("NetworkActivity_Devices=lo"); // its first dump sees the listener
            client = new Socket(address, port);
            accepted = listener.accept();
        }
        // This window's dump sees the connection, and no listener any more.
        List<ConnectionCreate> all = new ArrayList<>(payloads(c.collect(Instant.now())));
        int clientPort = client.getLocalPort();
        accepted.close();
        client.close();
        String server = key("127.0.0.1", port, "127.0.0.1", clientPort, "TCP");
        String initiator = key("127.0.0.1", clientPort, "127.0.0.1", port, "TCP");
        List<ConnectionCreate> first = List.copyOf(all);
        all.addAll(windowsUntil(c, later -> byKey(Stream.concat(first.stream(), later.stream()).toList()).keySet()
                .containsAll(List.of(server, initiator))).stream().flatMap(List::stream).toList());
        Map<String, ConnectionCreate> seen = byKey(all);
        assertEquals("In", seen.get(server).direction());
        assertEquals("Out", seen.get(initiator).direction());
    }

    @Test
    void everyShortTcpConnectionFromBothEndsWithExactBytesOverIpv4AndIpv6() throws Exception {
        ConnectionCollector c = collector("NetworkActivity_Devices=lo,NetworkActivity_CacheSize=100000");
        assertEquals("Broadcasts", c.mode());
        Map<String, long[]> expected = new HashMap<>(); // key -> {bytesIn, bytesOut, inbound}
        for (String host : List.of("127.0.0.1", "::1")) {
            InetAddress address = InetAddress.getByName(host);
            try (ServerSocket listener = Ports.serverBelowEphemeralRange(address)) {
                int port = listener.getLocalPort();
                for (int i = 0; i < 150; i++) {
                    int request = 1 + i * 13;
                    int response = 7 + i * 101;
                    Future<?> served = serve(listener, request, response);
                    try (Socket client = new Socket(address, port)) {
                        OutputStream out = client.getOutputStream();
                        out.write(new byte[request]);
                        out.flush();
                        InputStream in = client.getInputStream();
                        assertEquals(response, in.readNBytes(response).length);
                        int clientPort = client.getLocalPort();
                        expected.put(key(host, clientPort, host, port, "TCP"), new long[] {response, request, 0});
                        expected.put(key(host, port, host, clientPort, "TCP"), new long[] {request, response, 1});
                    }
                    served.get(10, TimeUnit.SECONDS);
                }
            }
        }
        List<List<ConnectionCreate>> windows = windowsUntil(c,
                all -> byKey(all).keySet().containsAll(expected.keySet()));
        Map<String, ConnectionCreate> seen = byKey(windows.stream().flatMap(List::stream).toList());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            ConnectionCreate p = seen.get(e.getKey());
            assertNotNull(p, "not reported: " + e.getKey());
            assertEquals(1, p.hitCount(), e.getKey());
            assertEquals(e.getValue()[0], p.bytesIn(), "BytesIn of " + e.getKey());
            assertEquals(e.getValue()[1], p.bytesOut(), "BytesOut of " + e.getKey());
            assertEquals(e.getValue()[2] == 1 ? "In" : "Out", p.direction(), e.getKey());
            assertEquals(Map.of("UserId", "0"), p.extendedProperties());
        }
        assertEquals(600, expected.size());
    }

    @Test
    void connectedUdpFlowsAndDnsButNeitherListenersNorUnconnectedSockets() throws Exception {
        ConnectionCollector c = collector("NetworkActivity_Devices=lo,NetworkActivity_CacheSize=100000");
        List<String> expected = new ArrayList<>();
        try (DatagramSocket dns = new DatagramSocket(new InetSocketAddress("127.0.0.53", 53));
                DatagramSocket other = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            for (int i = 0; i < 3; i++) {
                try (DatagramSocket query = new DatagramSocket()) {
                    query.connect(dns.getLocalSocketAddress());
                    query.send(new DatagramPacket(new byte[40], 40));
                    dns.receive(new DatagramPacket(new byte[512], 512));
                    expected.add(key("127.0.0.1", query.getLocalPort(), "127.0.0.53", 53, "UDP"));
                }
            }
            try (DatagramSocket flow = new DatagramSocket(new InetSocketAddress("::1", 0))) {
                flow.connect(other.getLocalSocketAddress());
                flow.send(new DatagramPacket(new byte[10], 10));
                expected.add(key("::1", flow.getLocalPort(), "::1", other.getLocalPort(), "UDP"));
            }
            try (DatagramSocket unconnected = new DatagramSocket(new InetSocketAddress("::1", 0))) {
                unconnected.send(new DatagramPacket(new byte[10], 10, other.getLocalSocketAddress()));
            }
        }
        Map<String, ConnectionCreate> seen = byKey(windowsUntil(c, all -> byKey(all).keySet().containsAll(expected))
                .stream().flatMap(List::stream).toList());
        for (String k : expected) {
            ConnectionCreate p = seen.get(k);
            assertNotNull(p, "not reported: " + k + " in " + seen.keySet());
            assertEquals("Out", p.direction());
            assertNull(p.bytesIn(), "the kernel keeps no byte counts for UDP: none reported");
            assertNull(p.bytesOut());
        }
        assertEquals("DNS", seen.get(expected.get(0)).applicationProtocol());
        assertEquals(1L, seen.get(expected.get(0)).dnsHitCount());
        assertNull(seen.get(expected.get(3)).dnsHitCount());
        assertEquals(expected.size(), seen.values().stream().filter(p -> p.protocol().equals("UDP")
                && (p.remoteAddress().equals("127.0.0.53") || p.localAddress().equals("::1"))).count(),
                "no listener and no unconnected socket: " + seen.keySet());
    }

    @Test
    void aLongLivedConnectionIsReportedBeforeItClosesAndNeverTwice() throws Exception {
        ConnectionCollector c = collector("NetworkActivity_Devices=lo");
        try (ServerSocket listener = Ports.serverBelowEphemeralRange(InetAddress.getByName("127.0.0.1"))) {
            Future<Socket> accepted = server.submit(listener::accept);
            Socket client = new Socket("127.0.0.1", listener.getLocalPort());
            Socket served = accepted.get(10, TimeUnit.SECONDS);
            String clientKey = key("127.0.0.1", client.getLocalPort(), "127.0.0.1", listener.getLocalPort(), "TCP");
            String serverKey = key("127.0.0.1", listener.getLocalPort(), "127.0.0.1", client.getLocalPort(), "TCP");
            exchange(client, served, 100, 200);
            // Received bytes count on arrival; sent bytes when the peer acknowledges them (a delayed ACK may move
            // some into the next window): so In is checked per window, Out over all windows.
            List<Map<String, ConnectionCreate>> windows = new ArrayList<>();
            Map<String, ConnectionCreate> first = byKey(payloads(c.collect(Instant.now())));
            windows.add(first);
            assertEquals(1, first.get(clientKey).hitCount());
            assertEquals(1, first.get(serverKey).hitCount());
            assertEquals(200L, first.get(clientKey).bytesIn());
            assertEquals(100L, first.get(serverKey).bytesIn());
            assertEquals("Out", first.get(clientKey).direction());
            assertEquals("In", first.get(serverKey).direction());

            exchange(client, served, 50, 70);
            Map<String, ConnectionCreate> second = byKey(payloads(c.collect(Instant.now())));
            windows.add(second);
            assertEquals(0, second.get(clientKey).hitCount(), "an open connection is counted once");
            assertEquals(70L, second.get(clientKey).bytesIn(), "the bytes of this window only");
            assertEquals(50L, second.get(serverKey).bytesIn());

            exchange(client, served, 30, 40);
            client.close();
            assertEquals(-1, served.getInputStream().read());
            served.close();
            Await.until("both ends' close handled", () -> c.tracked() == 0);
            Map<String, ConnectionCreate> last = byKey(payloads(c.collect(Instant.now())));
            windows.add(last);
            assertEquals(0, last.get(clientKey).hitCount(), "its close does not count it again");
            assertEquals(0, last.get(serverKey).hitCount());
            assertEquals(40L, last.get(clientKey).bytesIn());
            assertEquals(30L, last.get(serverKey).bytesIn());

            Map<String, ConnectionCreate> total = byKey(windows.stream().flatMap(w -> w.values().stream()).toList());
            assertEquals(1, total.get(clientKey).hitCount());
            assertEquals(1, total.get(serverKey).hitCount());
            assertEquals(180L, total.get(clientKey).bytesOut());
            assertEquals(310L, total.get(serverKey).bytesOut());
            assertEquals(310L, total.get(clientKey).bytesIn());
            assertEquals(180L, total.get(serverKey).bytesIn());
        }
    }

    @Test
    void withoutTheBroadcastsTheDumpsReportWhatIsOpenAtEachWindowClose() throws Exception {
        ConnectionCollector c = new ConnectionCollector(Configuration.load("NetworkActivity_Devices=lo", Map.of(),
                Map.of()), drops, log.log(), new Failures(log.log()));
        c.start(0);
        started.add(c);
        assertEquals("Dumps", c.mode());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("Dumps mode")), log.lines().toString());
        try (ServerSocket listener = Ports.serverBelowEphemeralRange(InetAddress.getByName("::1"))) {
            Future<Socket> accepted = server.submit(listener::accept);
            Socket client = new Socket("::1", listener.getLocalPort());
            Socket served = accepted.get(10, TimeUnit.SECONDS);
            exchange(client, served, 10, 20);
            String serverKey = key("::1", listener.getLocalPort(), "::1", client.getLocalPort(), "TCP");
            Map<String, ConnectionCreate> first = byKey(payloads(c.collect(Instant.now())));
            assertEquals(1, first.get(serverKey).hitCount());
            assertEquals("In", first.get(serverKey).direction());
            assertEquals(10L, first.get(serverKey).bytesIn());
            exchange(client, served, 5, 5);
            Map<String, ConnectionCreate> second = byKey(payloads(c.collect(Instant.now())));
            assertEquals(0, second.get(serverKey).hitCount(), "still open: counted once");
            assertEquals(5L, second.get(serverKey).bytesIn());
            client.close();
            served.close();
        }
        assertEquals(0, counter(c, "connections") - 2, "the two ends, counted once each");
    }

    static void exchange(Socket client, Socket served, int request, int response) throws IOException {
        client.getOutputStream().write(new byte[request]);
        assertEquals(request, served.getInputStream().readNBytes(request).length);
        served.getOutputStream().write(new byte[response]);
        assertEquals(response, client.getInputStream().readNBytes(response).length);
    }

    @Test
    void loopbackIsLeftOutUnlessNamedAndAFullCacheDropsTheOldestAndCountsIt() throws Exception {
        ConnectionCollector byDefault = collector("");
        ConnectionCollector otherInterface = collector("NetworkActivity_Devices=eth0");
        ConnectionCollector small = collector("NetworkActivity_Devices=lo,NetworkActivity_CacheSize=10");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            for (int i = 0; i < 30; i++) {
                Future<?> served = serve(listener, 1, 1);
                try (Socket client = new Socket("127.0.0.1", listener.getLocalPort())) {
                    client.getOutputStream().write(1);
                    client.getInputStream().read();
                }
                served.get(10, TimeUnit.SECONDS);
            }
        }
        Await.until("60 sockets closed, handled by each collector", () -> counter(byDefault, "filtered") >= 60
                && counter(otherInterface, "filtered") >= 60 && counter(small, "connections") >= 60);
        // The host's own traffic on other interfaces (a package download, NTP) may be reported meanwhile.
        List<ConnectionCreate> byDefaultSeen = payloads(byDefault.collect(Instant.now()));
        assertTrue(byDefaultSeen.stream().noneMatch(ConnectionKernelTest::onLoopback), byDefaultSeen.toString());
        List<ConnectionCreate> otherSeen = payloads(otherInterface.collect(Instant.now()));
        assertTrue(otherSeen.stream().noneMatch(ConnectionKernelTest::onLoopback), otherSeen.toString());

        List<ConnectionCreate> kept = payloads(small.collect(Instant.now()));
        assertEquals(10, kept.size());
        DroppedEvents d = drops.drain().stream().filter(x -> x.collector().equals("ConnectionCreate")).findFirst()
                .orElseThrow();
        assertTrue(d.droppedEvents() >= 50, d.toString());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("raise NetworkActivity_CacheSize")), log.lines()
                .toString());
    }

    static boolean onLoopback(ConnectionCreate c) {
        return c.localAddress().startsWith("127.") || c.localAddress().equals("::1");
    }

    static long counter(ConnectionCollector c, String name) {
        String counters = c.counters() + " ";
        int at = counters.indexOf(name + "=") + name.length() + 1;
        return Long.parseLong(counters.substring(at, counters.indexOf(' ', at)));
    }
}
