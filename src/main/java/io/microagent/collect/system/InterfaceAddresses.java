package io.microagent.collect.system;

import io.microagent.linux.NetlinkMessages;
import io.microagent.linux.NetlinkSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of the network interfaces, from rtnetlink ({@code RTM_GETADDR} dump, {@code struct ifaddrmsg}
 * then attributes). A point-to-point link's {@code IFA_ADDRESS} is its peer: {@code IFA_LOCAL} is preferred.
 */
public final class InterfaceAddresses {
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final int IFADDRMSG = 8;

    /** One address of an interface, by the interface's index. */
    public record Address(int interfaceIndex, InetAddress address) {
    }

    private InterfaceAddresses() {
    }

    /** Every address of every interface in the agent's network namespace. */
    public static List<Address> read() throws IOException {
        List<Address> addresses = new ArrayList<>();
        int[] malformed = {0};
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, 0, 256 * 1024)) {
            byte[] request = ByteBuffer.allocate(IFADDRMSG).order(ByteOrder.nativeOrder()).array(); // AF_UNSPEC
            socket.dump(RTM_GETADDR, request, (type, seq, payload) -> {
                if (type == RTM_NEWADDR) {
                    Address a = parse(payload);
                    if (a == null) {
                        malformed[0]++;
                    } else {
                        addresses.add(a);
                    }
                }
            });
        }
        return addresses;
    }

    /** One RTM_NEWADDR payload; null when it is malformed. */
    public static Address parse(ByteBuffer payload) {
        if (payload.remaining() < IFADDRMSG) {
            return null;
        }
        int family = Byte.toUnsignedInt(payload.get(0));
        int index = payload.getInt(4);
        int size = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
        byte[][] found = new byte[3][];
        boolean whole = NetlinkMessages.forEachAttribute(payload, IFADDRMSG, (type, value) -> {
            if ((type == IFA_ADDRESS || type == IFA_LOCAL) && value.remaining() == size) {
                found[type] = new byte[size];
                value.get(found[type]);
            }
        });
        byte[] bytes = found[IFA_LOCAL] != null ? found[IFA_LOCAL] : found[IFA_ADDRESS];
        if (!whole || size < 0 || bytes == null) {
            return null;
        }
        try {
            return new Address(index, InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
