package io.microagent.linux;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses as people and tools (ip, ss) write them: IPv4 dotted, IPv6 in the RFC 5952 short form
 * ({@code fe80::1}, the longest run of zero groups as {@code ::}, lower case), IPv4-mapped as
 * {@code ::ffff:192.0.2.1}.
 */
public final class AddressText {
    private AddressText() {
    }

    public static String of(InetAddress address) {
        return address instanceof Inet6Address ? ipv6(address.getAddress()) : address.getHostAddress();
    }

    /** The text of a 4- or 16-byte address. */
    public static String of(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 255) + "." + (address[1] & 255) + "." + (address[2] & 255) + "." + (address[3] & 255);
        }
        return ipv6(address);
    }

    private static String ipv6(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 255) << 8) | (a[2 * i + 1] & 255);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            return "::ffff:" + of(new byte[] {a[12], a[13], a[14], a[15]});
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
