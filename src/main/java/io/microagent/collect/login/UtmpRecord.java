package io.microagent.collect.login;

import io.microagent.linux.AddressText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One {@code struct utmp} of glibc on 64-bit Linux (x86_64 and arm64 alike: 384 bytes, 32-bit time fields,
 * little-endian): type, pid, line, id, user, host, exit status, session, time, the remote address.
 */
public record UtmpRecord(int type, int pid, String line, String user, String host, Instant time, byte[] address) {
    public static final int SIZE = 384;
    public static final int LOGIN_PROCESS = 6;
    public static final int USER_PROCESS = 7;
    public static final int DEAD_PROCESS = 8;

    /** The record at the buffer's position (which moves past it); null when its type is not a utmp type. */
    public static UtmpRecord parse(ByteBuffer b) {
        ByteBuffer r = b.slice().limit(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.position(b.position() + SIZE);
        int type = r.getShort(0);
        if (type < 0 || type > 9) {
            return null;
        }
        int pid = r.getInt(4);
        String line = text(r, 8, 32);
        String user = text(r, 44, 32);
        String host = text(r, 76, 256);
        long seconds = Integer.toUnsignedLong(r.getInt(340));
        long micros = Integer.toUnsignedLong(r.getInt(344));
        if (micros >= 1_000_000) {
            return null;
        }
        byte[] v6 = new byte[16];
        r.get(348, v6);
        return new UtmpRecord(type, pid, line, user, host, Instant.ofEpochSecond(seconds, micros * 1000), v6);
    }

    /** The remote end: the address field (IPv4 in its first four bytes), else the host text, else a local sign-in. */
    public String remoteAddress() {
        boolean v4 = true;
        boolean zero = true;
        for (int i = 0; i < 16; i++) {
            zero &= address[i] == 0;
            v4 &= i < 4 || address[i] == 0;
        }
        if (!zero) {
            return AddressText.of(v4 ? new byte[] {address[0], address[1], address[2], address[3]} : address);
        }
        return host.isEmpty() ? Login.LOCAL : host;
    }

    /** The terminal as the schema names it: {@code pts/0}, {@code tty1}, {@code ssh} for sshd's {@code ssh:notty}. */
    public String terminal() {
        return line.startsWith("ssh:") ? "ssh" : line;
    }

    private static String text(ByteBuffer r, int offset, int length) {
        int end = offset;
        while (end < offset + length && r.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        r.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
