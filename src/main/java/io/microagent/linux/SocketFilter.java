package io.microagent.linux;

import com.sun.jna.Memory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic BPF socket filter (linux/filter.h), written instruction by instruction with jumps to labels. The
 * kernel runs it on each message before queueing it, so what it refuses costs the reader nothing. Word loads see
 * memory in network byte order: {@link #word} gives the value a native-order field is seen as.
 */
public final class SocketFilter {
    /** Jump targets that end the program: keep the message, or drop it. */
    public static final int ACCEPT = -1;
    public static final int DROP = -2;
    private static final int NEXT = -3;
    private static final int LD_W_ABS = 0x20;
    private static final int LD_W_LEN = 0x80;
    private static final int TAX = 0x07;
    private static final int JEQ_K = 0x15;
    private static final int JGE_K = 0x35;
    private static final int JEQ_X = 0x1d;
    private static final int RET_K = 0x06;
    /** A return value: how many bytes of the message to keep. */
    private static final int KEEP_ALL = 0xffff_ffff;

    private record Instruction(int code, int ifTrue, int ifFalse, int k) {
    }

    private final List<Instruction> program = new ArrayList<>();
    private final Map<Integer, Integer> labels = new HashMap<>();

    /** A native-order 32-bit field as the filter's word loads see it. */
    public static int word(int nativeValue) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? nativeValue : Integer.reverseBytes(nativeValue);
    }

    /** Marks the next instruction as {@code label} (a number >= 0). */
    public SocketFilter label(int label) {
        labels.put(label, program.size());
        return this;
    }

    /** A = the 32-bit word at {@code offset} of the message. */
    public SocketFilter loadWord(int offset) {
        return add(LD_W_ABS, NEXT, NEXT, offset);
    }

    /** A = the message's length. */
    public SocketFilter loadLength() {
        return add(LD_W_LEN, NEXT, NEXT, 0);
    }

    /** X = A. */
    public SocketFilter copyToX() {
        return add(TAX, NEXT, NEXT, 0);
    }

    /** To {@code target} when A == k, else on. */
    public SocketFilter jumpIfEquals(int k, int target) {
        return add(JEQ_K, target, NEXT, k);
    }

    /** To {@code target} when A < k (unsigned), else on. */
    public SocketFilter jumpIfBelow(int k, int target) {
        return add(JGE_K, NEXT, target, k);
    }

    /** To {@code ifEqual} when A == X, else to {@code otherwise}. */
    public SocketFilter jumpIfEqualsX(int ifEqual, int otherwise) {
        return add(JEQ_X, ifEqual, otherwise, 0);
    }

    /** Ends here: {@code ACCEPT} or {@code DROP}. */
    public SocketFilter end(int verdict) {
        return add(RET_K, NEXT, NEXT, verdict == ACCEPT ? KEEP_ALL : 0);
    }

    private SocketFilter add(int code, int ifTrue, int ifFalse, int k) {
        program.add(new Instruction(code, ifTrue, ifFalse, k));
        return this;
    }

    /** Instructions once encoded: the program and its two closing returns. */
    int length() {
        return program.size() + 2;
    }

    /** struct sock_filter[]: u16 code, u8 jt, u8 jf, u32 k; jumps count from the next instruction. */
    Memory encode() {
        int accept = program.size();
        int drop = accept + 1;
        Memory m = new Memory(8L * length());
        for (int i = 0; i < program.size(); i++) {
            Instruction in = program.get(i);
            set(m, i, in.code(), jump(i, in.ifTrue(), accept, drop), jump(i, in.ifFalse(), accept, drop), in.k());
        }
        set(m, accept, RET_K, 0, 0, KEEP_ALL);
        set(m, drop, RET_K, 0, 0, 0);
        return m;
    }

    private static void set(Memory m, int at, int code, int ifTrue, int ifFalse, int k) {
        m.setShort(8L * at, (short) code);
        m.setByte(8L * at + 2, (byte) ifTrue);
        m.setByte(8L * at + 3, (byte) ifFalse);
        m.setInt(8L * at + 4, k);
    }

    private int jump(int at, int target, int accept, int drop) {
        if (target == NEXT) {
            return 0;
        }
        Integer to = target == ACCEPT ? Integer.valueOf(accept) : target == DROP ? Integer.valueOf(drop)
                : labels.get(target);
        if (to == null || to <= at || to - at - 1 > 255) {
            throw new IllegalStateException("socket filter: no forward jump from " + at + " to label " + target);
        }
        return to - at - 1;
    }
}
