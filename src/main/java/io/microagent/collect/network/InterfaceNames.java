package io.microagent.collect.network;

import io.microagent.linux.AddressText;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Which interface a local address belongs to, and whether it is a loopback one. Read from the kernel (through
 * the JDK's interface list) at start and again when an address it does not know shows up, at most once a second.
 */
final class InterfaceNames {
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private Map<String, String> byAddress = Map.of();
    private Map<String, Boolean> loopback = Map.of();
    private long refreshedAt = System.nanoTime() - REFRESH_NANOS;

    /** The interface name of {@code localAddress} (text as {@link AddressText} writes it), or null. */
    synchronized String of(String localAddress) {
        String name = byAddress.get(localAddress);
        if (name == null && System.nanoTime() - refreshedAt >= REFRESH_NANOS) {
            refresh();
            name = byAddress.get(localAddress);
        }
        return name;
    }

    synchronized boolean isLoopback(String name) {
        return loopback.getOrDefault(name, "lo".equals(name));
    }

    private void refresh() {
        refreshedAt = System.nanoTime();
        Map<String, String> addresses = new HashMap<>();
        Map<String, Boolean> loops = new HashMap<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                loops.put(n.getName(), n.isLoopback());
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    addresses.put(AddressText.of(a.getAddress()), n.getName());
                }
            }
        } catch (SocketException | RuntimeException e) {
            return; // keep what was known
        }
        byAddress = addresses;
        loopback = loops;
    }
}
