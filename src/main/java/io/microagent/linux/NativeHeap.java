package io.microagent.linux;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Gives freed native memory back to the system. glibc keeps what was freed in its arenas: the JVM's own parsing
 * and compiling at the agent's start leave megabytes there that count as the process's resident memory on a
 * device. {@code malloc_trim} is glibc's; elsewhere (musl) this does nothing.
 */
public final class NativeHeap {
    private static final boolean AVAILABLE = bind();

    private NativeHeap() {
    }

    private static boolean bind() {
        try {
            Native.register(NativeHeap.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    private static native int malloc_trim(long pad);

    /** Returns the free memory of every arena to the system; a few milliseconds at most. */
    public static void trim() {
        if (AVAILABLE) {
            malloc_trim(0);
        }
    }
}
