package io.microagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * For src/bench/connection-storm.sh. {@code storm N}: N loopback TCP connections, one after another as fast as
 * they go, each moving a 100-byte request and a 1,000-byte answer; prints the server's port first. {@code agent
 * FILE PORT N} and {@code ss FILE PORT N}: how many of the storm's 2N socket ends the agent's JSON lines (or
 * {@code ss -E -i}'s output) counted, and how many of them with exact byte counts.
 */
public final class ConnectionStorm {
    static final int REQUEST = 100;
    static final int RESPONSE = 1000;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("storm")) {
            storm(Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 0);
        } else {
            report(args[0], Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    static void storm(int n, int port) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket listener = new ServerSocket(port, 512, loopback)) {
            System.out.println(listener.getLocalPort());
            System.out.flush();
            Thread server = new Thread(() -> {
                byte[] answer = new byte[RESPONSE];
                for (int i = 0; i < n; i++) {
                    try (Socket s = listener.accept()) {
                        s.getInputStream().readNBytes(REQUEST);
                        s.getOutputStream().write(answer);
                        s.getInputStream().read(); // the client's close
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            server.start();
            byte[] request = new byte[REQUEST];
            for (int i = 0; i < n; i++) {
                try (Socket c = new Socket(loopback, listener.getLocalPort())) {
                    c.getOutputStream().write(request);
                    InputStream in = c.getInputStream();
                    if (in.readNBytes(RESPONSE).length != RESPONSE) {
                        throw new IllegalStateException("short answer");
                    }
                }
            }
            server.join();
        }
    }

    static void report(String kind, Path file, int port, int n) throws Exception {
        long counted = 0;
        long exact = 0;
        if (kind.equals("agent")) {
            ObjectMapper mapper = new ObjectMapper();
            for (String line : Files.readAllLines(file)) {
                for (JsonNode e : mapper.readTree(line).get("Events")) {
                    if (!e.get("Name").asText().equals("ConnectionCreate")) {
                        continue;
                    }
                    for (JsonNode p : e.get("Payload")) {
                        boolean server = p.get("LocalPort").asInt() == port;
                        if (!server && p.get("RemotePort").asInt() != port) {
                            continue;
                        }
                        counted += p.get("HitCount").asLong();
                        long in = p.path("BytesIn").asLong(-1);
                        long out = p.path("BytesOut").asLong(-1);
                        if (server ? in == REQUEST && out == RESPONSE : in == RESPONSE && out == REQUEST) {
                            exact += p.get("HitCount").asLong();
                        }
                    }
                }
            }
        } else { // ss -E -i -t -n: a socket line, then its tcp_info line
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i + 1 < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 5 || !(f[3].endsWith(":" + port) || f[4].endsWith(":" + port))) {
                    continue;
                }
                counted++;
                boolean server = f[3].endsWith(":" + port);
                String info = lines.get(i + 1);
                long acked = field(info, "bytes_acked:");
                long received = field(info, "bytes_received:");
                // the same corrections as the agent's (SYN of the connecting end, FINs)
                long out = Math.min(acked - (server ? 0 : 1), field(info, "bytes_sent:"));
                long in = received - 1;
                if (server ? in == REQUEST && out == RESPONSE : in == RESPONSE && out == REQUEST) {
                    exact++;
                }
            }
        }
        System.out.printf("socket_ends=%d counted=%d exact_bytes=%d%n", 2L * n, counted, exact);
    }

    private static long field(String line, String name) {
        int at = line.indexOf(name);
        if (at < 0) {
            return -1;
        }
        int end = at + name.length();
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return Long.parseLong(line.substring(at + name.length(), end));
    }
}
