package io.microagent.collect.network;

import io.microagent.aggregate.Identity;
import java.time.Instant;
import java.util.Objects;

/**
 * One connection, or more bytes of one already counted (then {@code newConnection} is false): what the network
 * sources push into the window. Identity: addresses, ports and protocol.
 */
public record Connection(Instant time, String localAddress, int localPort, String remoteAddress, int remotePort,
        String protocol, boolean inbound, int uid, boolean newConnection, long bytesIn, long bytesOut,
        boolean bytesKnown) {

    public static final Identity<Connection> ENDPOINTS = new Identity<>() {
        @Override
        public int hash(Connection c) {
            return Objects.hash(c.localAddress, c.localPort, c.remoteAddress, c.remotePort, c.protocol);
        }

        @Override
        public boolean same(Connection a, Connection b) {
            return a.localPort == b.localPort && a.remotePort == b.remotePort && a.protocol.equals(b.protocol)
                    && a.localAddress.equals(b.localAddress) && a.remoteAddress.equals(b.remoteAddress);
        }
    };

    /** The port that names the service: the local one for accepted connections, else the remote one. */
    public int servicePort() {
        return inbound ? localPort : remotePort;
    }
}
