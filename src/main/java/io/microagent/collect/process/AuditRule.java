package io.microagent.collect.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An execve rule as {@code auditctl -a always,exit -F arch=ARCH -S execve -S execveat -k iot-micro-agent} makes
 * it: struct audit_rule_data (linux/audit.h). Deleting a rule takes the same bytes.
 */
record AuditRule(String arch, int auditArch, int[] syscalls) {
    static final String KEY = "iot-micro-agent";
    private static final int AUDIT_FILTER_EXIT = 0x04;
    private static final int AUDIT_ALWAYS = 2;
    private static final int AUDIT_ARCH = 11;
    private static final int AUDIT_FILTERKEY = 210;
    private static final int AUDIT_EQUAL = 0x40000000;
    private static final int BITMASK_WORDS = 64;
    private static final int MAX_FIELDS = 64;

    /** The rules for this machine: its native ABI and the 32-bit one it can also run. */
    static List<AuditRule> forArchitecture(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> List.of(new AuditRule("b64", 0xC000003E, new int[] {59, 322}),
                    new AuditRule("b32", 0x40000003, new int[] {11, 358}));
            case "aarch64", "arm64" -> List.of(new AuditRule("b64", 0xC00000B7, new int[] {221, 281}),
                    new AuditRule("b32", 0x40000028, new int[] {11, 387}));
            default -> throw new IllegalArgumentException("no execve audit rule known for architecture " + osArch);
        };
    }

    /**
     * Whether a kernel rule (its audit_rule_data bytes) audits every execve of this architecture: an always,exit
     * rule on this arch's execve with no field that narrows it (a key is not a filter).
     */
    boolean coveredBy(byte[] kernelRule) {
        ByteBuffer b = ByteBuffer.wrap(kernelRule).order(ByteOrder.nativeOrder());
        int header = 12;
        int fields = header + 4 * BITMASK_WORDS;
        if (b.remaining() < fields + 3 * 4 * MAX_FIELDS || b.getInt(0) != AUDIT_FILTER_EXIT
                || b.getInt(4) != AUDIT_ALWAYS) {
            return false;
        }
        int execve = syscalls[0];
        if ((b.getInt(header + 4 * (execve / 32)) & (1 << (execve % 32))) == 0) {
            return false;
        }
        int count = b.getInt(8);
        boolean arch = false;
        for (int i = 0; i < Math.min(count, MAX_FIELDS); i++) {
            int field = b.getInt(fields + 4 * i);
            int value = b.getInt(fields + 4 * MAX_FIELDS + 4 * i);
            int op = b.getInt(fields + 8 * MAX_FIELDS + 4 * i);
            if (field == AUDIT_ARCH && value == auditArch && op == AUDIT_EQUAL) {
                arch = true;
            } else if (field != AUDIT_FILTERKEY) {
                return false; // auid>=1000, a path, a user ...: not every execve
            }
        }
        return arch;
    }

    byte[] data() {
        byte[] key = KEY.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 * 3 + 4 * BITMASK_WORDS + 3 * 4 * MAX_FIELDS + 4 + key.length)
                .order(ByteOrder.nativeOrder());
        b.putInt(AUDIT_FILTER_EXIT).putInt(AUDIT_ALWAYS).putInt(2);
        int[] mask = new int[BITMASK_WORDS];
        for (int syscall : syscalls) {
            mask[syscall / 32] |= 1 << (syscall % 32);
        }
        for (int word : mask) {
            b.putInt(word);
        }
        int[] fields = {AUDIT_ARCH, AUDIT_FILTERKEY};
        int[] values = {auditArch, key.length};
        for (int[] column : new int[][] {fields, values, {AUDIT_EQUAL, AUDIT_EQUAL}}) {
            for (int i = 0; i < MAX_FIELDS; i++) {
                b.putInt(i < column.length ? column[i] : 0);
            }
        }
        b.putInt(key.length).put(key);
        return b.array();
    }
}
