package io.microagent.collect.network;

import io.microagent.aggregate.Aggregator;
import io.microagent.aggregate.OverflowPolicy;
import io.microagent.collect.AggregatedEvents;
import io.microagent.collect.Collector;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.core.AgentThreads;
import io.microagent.core.Failures;
import io.microagent.event.DropLedger;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.AddressText;
import io.microagent.linux.NetlinkMessages;
import io.microagent.linux.NetlinkSocket;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * ConnectionCreate: TCP and UDP connections, IPv4 and IPv6, from sock_diag. The destroy broadcasts report every
 * socket as it closes, short-lived ones included, with {@code tcp_info}; a dump at each window close reports
 * the connections still open, each in the window where it was first seen, and its later bytes in the windows
 * where they moved, never counting it twice. Where the broadcasts are refused, dumps alone.
 */
public final class ConnectionCollector implements Collector {
    private static final int BROADCAST_BUFFER = 8 << 20;
    private static final int DUMP_BUFFER = 1 << 20;
    /** Open connections tracked between dumps; beyond this the oldest is forgotten (and counted). */
    static final int MAX_OPEN = 65_536;
    /** States of a connected TCP socket whose full socket still exists (TIME_WAIT ones were reported closed). */
    private static final long LISTENER_REFRESH_NANOS = 100_000_000L;
    private static final int CONNECTED_TCP = (1 << 1) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 9) | (1 << 11);

    /** Bytes of an open connection already reported. */
    private record Reported(long bytesIn, long bytesOut) {
    }

    private final Configuration config;
    private final AgentLog log;
    private final Failures failures;
    private final AggregatedEvents<Connection> events;
    private final ConnectionCounters counters = new ConnectionCounters();
    private final InterfaceNames interfaces = new InterfaceNames();
    private final Set<String> devices;
    private final Object lock = new Object();
    private final LinkedHashMap<Long, Reported> open = new LinkedHashMap<>();
    private final Set<Long> closedDuringDump = new HashSet<>();
    /** Listening ports ("TCP22", "UDP53") from the last dump, and those the reader has found since. */
    private final Set<String> listeners = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int[] ephemeral;
    private long listenersRefreshedAt;
    private boolean dumping;
    private NetlinkSocket broadcasts;
    private NetlinkSocket windowDumps;
    private NetlinkSocket lookups;
    private Thread reader;
    private volatile boolean running;
    private volatile String mode = "";

    public ConnectionCollector(Configuration config, DropLedger drops, AgentLog log, Failures failures) {
        this.config = config;
        this.log = log;
        this.failures = failures;
        List<String> wanted = config.get(Settings.NETWORK_DEVICES);
        this.devices = wanted == null ? null : Set.copyOf(wanted);
        String range;
        try {
            range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        } catch (IOException | RuntimeException e) {
            range = "";
        }
        this.ephemeral = ephemeralPorts(range);
        this.events = new AggregatedEvents<>(name(), new Aggregator<>(name(), Settings.NETWORK_CACHE_SIZE.key(),
                config.get(Settings.NETWORK_CACHE_SIZE), OverflowPolicy.DROP_OLDEST, Connection.ENDPOINTS, log,
                c -> c.bytesIn(), c -> c.bytesOut()), ConnectionCreate::of, drops);
    }

    @Override
    public String name() {
        return "ConnectionCreate";
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public String counters() {
        synchronized (lock) {
            return "connections=" + counters.connections + " open=" + open.size() + " malformed=" + counters.malformed + " overflows=" + counters.overflows
                    + " filtered=" + counters.filtered + " untracked=" + counters.untracked + " failed_dumps="
                    + counters.failedDumps;
        }
    }

    @Override
    public void start() throws IOException {
        start(InetDiagMessages.DESTROY_GROUPS);
    }

    /** @param destroyGroups the broadcast groups to join (0 in tests: as where the kernel refuses them) */
    void start(int destroyGroups) throws IOException {
        windowDumps = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, 0, DUMP_BUFFER);
        try {
            if (destroyGroups == 0) {
                throw new IOException("not asked for");
            }
            broadcasts = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, destroyGroups, BROADCAST_BUFFER);
            lookups = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, 0, DUMP_BUFFER);
        } catch (IOException e) {
            if (broadcasts != null) {
                broadcasts.close();
                broadcasts = null;
            }
            mode = "Dumps";
            log.info("ConnectionCreate: Dumps mode (the sock_diag destroy broadcasts were refused: " + e.getMessage()
                    + "; they need CAP_NET_ADMIN in the initial network namespace): connections that open and close"
                    + " between two window closes are missed");
        }
        replaceListeners(listenersOf(all(windowDumps))); // connections open now are reported at the first window close
        if (broadcasts != null) {
            mode = "Broadcasts";
            running = true;
            reader = AgentThreads.start("network-destroy", this::run);
            log.info("ConnectionCreate: Broadcasts mode (sock_diag destroy broadcasts, and a dump at each window"
                    + " close)");
        }
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        dump();
        events.overflows(counters.overflows.get());
        return events.close(windowEnd);
    }

    @Override
    public List<SecurityEvent> flush(Instant now) {
        return collect(now);
    }

    @Override
    public void stop() {
        running = false;
        if (broadcasts != null) {
            broadcasts.close();
        }
        AgentThreads.join(reader, Duration.ofSeconds(5));
        if (lookups != null) {
            lookups.close();
        }
        synchronized (this) {
            if (windowDumps != null) {
                windowDumps.close();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                ByteBuffer datagram = broadcasts.receive();
                counters.malformed.addAndGet(NetlinkMessages.forEach(datagram, (type, seq, payload) -> {
                    if (type != InetDiagMessages.SOCK_DIAG_BY_FAMILY) {
                        return;
                    }
                    SocketRecord s = InetDiagMessages.parse(payload, 0);
                    if (s == null) {
                        counters.malformed.incrementAndGet();
                    } else {
                        failures.contain("connection events", () -> closed(s));
                    }
                }));
            } catch (NetlinkSocket.OverflowException e) {
                if (counters.overflows.getAndIncrement() == 0) {
                    log.warning("the kernel dropped connection events (the agent's socket buffer was full); counted in"
                            + " DroppedEventsStatistics from now on");
                }
            } catch (IOException e) {
                if (running) {
                    failures.record("network destroy broadcasts", e);
                }
                return;
            }
        }
    }

    /** A socket the kernel destroyed: a new connection, or the last bytes of one a dump already reported. */
    private void closed(SocketRecord s) {
        String protocol = protocol(s);
        if (protocol == null || s.unconnected()) {
            return; // listeners and never-connected UDP sockets are not connections
        }
        Connection c = connection(s, protocol, true, Instant.now());
        if (c == null) {
            return;
        }
        Reported earlier;
        synchronized (lock) {
            earlier = open.remove(s.cookie());
            if (dumping) {
                closedDuringDump.add(s.cookie());
            }
        }
        if (earlier == null) {
            counters.connections.incrementAndGet();
            events.accept(c, 1);
        } else if (c.bytesIn() > earlier.bytesIn() || c.bytesOut() > earlier.bytesOut()) {
            events.accept(delta(c, earlier), 0);
        }
    }

    /** Open connections whose later bytes are tracked (for tests and status). */
    int tracked() {
        synchronized (lock) {
            return open.size();
        }
    }

    /**
     * Dumps every TCP and UDP socket: listeners first (they tell In from Out), then the connected ones: new
     * connections, and the bytes open ones moved since the last dump, go into the closing window.
     */
    private synchronized void dump() {
        if (windowDumps == null) {
            return;
        }
        List<SocketRecord> sockets;
        synchronized (lock) {
            dumping = true;
            closedDuringDump.clear();
        }
        try {
            sockets = all(windowDumps);
        } catch (IOException | RuntimeException e) {
            if (counters.failedDumps.getAndIncrement() == 0) {
                log.warning("ConnectionCreate: the sock_diag dump failed (" + e.getMessage() + "); open connections"
                        + " are reported when they close");
            }
            synchronized (lock) {
                dumping = false;
            }
            return;
        }
        replaceListeners(listenersOf(sockets));
        Instant now = Instant.now();
        Set<Long> alive = new HashSet<>();
        for (SocketRecord s : sockets) {
            String protocol = protocol(s);
            boolean connected = protocol != null && !s.unconnected() && (protocol.equals("UDP")
                    ? s.state() == InetDiagMessages.TCP_ESTABLISHED : (CONNECTED_TCP & (1 << s.state())) != 0);
            if (!connected) {
                continue;
            }
            Connection c = connection(s, protocol, false, now);
            if (c == null) {
                continue;
            }
            alive.add(s.cookie());
            Reported earlier;
            boolean closedMeanwhile;
            synchronized (lock) {
                closedMeanwhile = closedDuringDump.contains(s.cookie());
                earlier = closedMeanwhile ? null : open.get(s.cookie());
                if (!closedMeanwhile) {
                    track(s.cookie(), new Reported(c.bytesIn(), c.bytesOut()));
                }
            }
            if (closedMeanwhile) {
                continue; // its close, handled while the dump ran, counted it with all its bytes
            }
            if (earlier == null) {
                counters.connections.incrementAndGet();
                events.accept(c, 1);
            } else if (c.bytesIn() > earlier.bytesIn() || c.bytesOut() > earlier.bytesOut()) {
                events.accept(delta(c, earlier), 0);
            }
        }
        synchronized (lock) {
            open.keySet().retainAll(alive); // gone without a broadcast (Dumps mode): their last bytes are not known
            dumping = false;
        }
    }

    /**
     * A listener on an ephemeral port is forgotten when a dump no longer shows it (the port may next serve an
     * outgoing connection); one outside the range is kept, since connections it accepted can outlive it (a
     * server that stops listening and then closes them): those are still In. At most 2 x 65,536 keys.
     */
    private void replaceListeners(Set<String> current) {
        listeners.removeIf(key -> !current.contains(key) && ephemeral(Integer.parseInt(key.replaceAll("\\D", ""))));
        listeners.addAll(current);
    }

    private boolean ephemeral(int port) {
        return port >= ephemeral[0] && port <= ephemeral[1];
    }

    private void track(long cookie, Reported reported) {
        open.put(cookie, reported);
        if (open.size() > MAX_OPEN) {
            Iterator<Long> oldest = open.keySet().iterator();
            oldest.next();
            oldest.remove();
            counters.untracked.incrementAndGet();
        }
    }

    private static List<SocketRecord> all(NetlinkSocket socket) throws IOException {
        List<SocketRecord> sockets = new ArrayList<>();
        for (int family : new int[] {InetDiagMessages.AF_INET, InetDiagMessages.AF_INET6}) {
            for (int protocol : new int[] {InetDiagMessages.IPPROTO_TCP, InetDiagMessages.IPPROTO_UDP}) {
                socket.dump(InetDiagMessages.SOCK_DIAG_BY_FAMILY, InetDiagMessages.dumpRequest(family, protocol, -1),
                        (type, seq, payload) -> {
                            SocketRecord s = InetDiagMessages.parse(payload, protocol);
                            if (s != null) {
                                sockets.add(s);
                            }
                        });
            }
        }
        return sockets;
    }

    private static Set<String> listenersOf(List<SocketRecord> sockets) {
        Set<String> ports = new HashSet<>();
        for (SocketRecord s : sockets) {
            String protocol = protocol(s);
            if (protocol != null && s.unconnected() && s.localPort() != 0 && (protocol.equals("UDP")
                    || s.state() == InetDiagMessages.TCP_LISTEN)) {
                ports.add(protocol + s.localPort());
            }
        }
        return ports;
    }

    /**
     * Whether the socket's local port is listened on. The last dump's listeners first; then, on the reader thread
     * for TCP, the kernel is asked: for a port outside the ephemeral range (where servers listen) the listener of
     * that port is looked up and remembered; for a port inside it (where connections made from here get their
     * local port) the listeners are dumped again at most every 100 ms, so a flood of outgoing connections costs
     * no lookup each. A listener on an ephemeral port that starts and takes a connection within 100 ms of the
     * last refresh may see it reported as Out.
     */
    private boolean listening(SocketRecord s, String protocol) {
        String key = protocol + s.localPort();
        if (listeners.contains(key)) {
            return true;
        }
        if (Thread.currentThread() != reader || !protocol.equals("TCP")) {
            return false;
        }
        try {
            if (!ephemeral(s.localPort())) {
                ByteBuffer reply = lookups.ask(InetDiagMessages.SOCK_DIAG_BY_FAMILY, InetDiagMessages.listenerLookup(
                        s.family(), InetDiagMessages.IPPROTO_TCP, s.localAddress(), s.localPort()),
                        InetDiagMessages.SOCK_DIAG_BY_FAMILY);
                SocketRecord listener = reply == null ? null
                        : InetDiagMessages.parse(reply, InetDiagMessages.IPPROTO_TCP);
                if (listener != null && listener.state() == InetDiagMessages.TCP_LISTEN
                        && listener.localPort() == s.localPort()) {
                    listeners.add(key);
                    return true;
                }
            } else if (System.nanoTime() - listenersRefreshedAt >= LISTENER_REFRESH_NANOS) {
                listenersRefreshedAt = System.nanoTime();
                listeners.addAll(listenersOf(tcpListeners(lookups)));
                return listeners.contains(key);
            }
        } catch (IOException e) {
            counters.failedDumps.incrementAndGet();
        }
        return false;
    }

    private static List<SocketRecord> tcpListeners(NetlinkSocket socket) throws IOException {
        List<SocketRecord> sockets = new ArrayList<>();
        for (int family : new int[] {InetDiagMessages.AF_INET, InetDiagMessages.AF_INET6}) {
            socket.dump(InetDiagMessages.SOCK_DIAG_BY_FAMILY, InetDiagMessages.dumpRequest(family,
                    InetDiagMessages.IPPROTO_TCP, 1 << InetDiagMessages.TCP_LISTEN), (type, seq, payload) -> {
                        SocketRecord r = InetDiagMessages.parse(payload, InetDiagMessages.IPPROTO_TCP);
                        if (r != null) {
                            sockets.add(r);
                        }
                    });
        }
        return sockets;
    }

    /** net.ipv4.ip_local_port_range (it applies to IPv6 too); the kernel's default where it cannot be read. */
    static int[] ephemeralPorts(String text) {
        try {
            String[] f = text.strip().split("\\s+");
            int low = Integer.parseInt(f[0]);
            int high = Integer.parseInt(f[1]);
            if (low > 0 && low <= high && high < 65536) {
                return new int[] {low, high};
            }
        } catch (RuntimeException e) {
            // below
        }
        return new int[] {32768, 60999};
    }

    /** The connection a socket record describes, or null when its interface is not recorded (counted). */
    private Connection connection(SocketRecord s, String protocol, boolean closed, Instant now) {
        String local = text(s.localAddress());
        if (!recorded(local)) {
            counters.filtered.incrementAndGet();
            return null;
        }
        boolean tcp = protocol.equals("TCP") && s.hasTcpInfo();
        boolean accepted = listening(s, protocol);
        return new Connection(now, local, s.localPort(), text(s.remoteAddress()), s.remotePort(), protocol, accepted,
                s.uid(), true, tcp ? TcpBytes.in(s, closed) : 0, tcp ? TcpBytes.out(s, accepted) : 0, tcp);
    }

    private static Connection delta(Connection c, Reported earlier) {
        return new Connection(c.time(), c.localAddress(), c.localPort(), c.remoteAddress(), c.remotePort(),
                c.protocol(), c.inbound(), c.uid(), false, Math.max(0, c.bytesIn() - earlier.bytesIn()),
                Math.max(0, c.bytesOut() - earlier.bytesOut()), c.bytesKnown());
    }

    /** NetworkActivity_Devices: the interfaces named, else every one but loopback. */
    private boolean recorded(String localAddress) {
        String name = localAddress.startsWith("127.") || localAddress.equals("::1") ? "lo"
                : interfaces.of(localAddress);
        if (devices != null) {
            return name != null && devices.contains(name);
        }
        return name == null || !interfaces.isLoopback(name);
    }

    private static String protocol(SocketRecord s) {
        return switch (s.protocol()) {
            case InetDiagMessages.IPPROTO_TCP -> "TCP";
            case InetDiagMessages.IPPROTO_UDP -> "UDP";
            default -> null;
        };
    }

    /** IPv4-mapped IPv6 addresses (a dual-stack socket talking IPv4) are written as the IPv4 address they are. */
    static String text(byte[] address) {
        if (address.length == 16) {
            boolean mapped = address[10] == (byte) 0xff && address[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = address[i] == 0;
            }
            if (mapped) {
                return AddressText.of(new byte[] {address[12], address[13], address[14], address[15]});
            }
        }
        return AddressText.of(address);
    }
}
