package io.microagent.collect.process;

import io.microagent.linux.NetlinkSocket;

/**
 * A stand-in for auditd in another process (a process may register only itself as the audit daemon): it
 * registers, reads and discards every record (so audited processes never wait on a full backlog), and
 * unregisters when its standard input closes.
 */
public final class AuditDaemonStandIn {
    public static void main(String[] args) throws Exception {
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT, 0, 8 << 20)) {
            int pid = (int) ProcessHandle.current().pid();
            int errno = socket.command(AuditControl.AUDIT_SET, AuditStatus.set(AuditStatus.MASK_PID, 0, pid, 0));
            System.out.println(errno == 0 ? "registered " + pid : "refused " + errno);
            System.out.flush();
            Thread drain = new Thread(() -> {
                try {
                    while (true) {
                        socket.receive();
                    }
                } catch (Exception closed) {
                    // the socket closed: the stand-in is ending
                }
            });
            drain.setDaemon(true);
            drain.start();
            System.in.read(); // until the test closes our standard input
            try (NetlinkSocket control = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT, 0, 1 << 20)) {
                control.command(AuditControl.AUDIT_SET, AuditStatus.set(AuditStatus.MASK_PID, 0, 0, 0));
            }
        }
    }
}
