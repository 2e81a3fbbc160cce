package io.microagent.linux;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls the agent makes, bound with JNA direct mapping (static natives: no proxy or boxing per
 * call, which matters on the exec-event path). Calls return -1 on failure; {@link #errno()} tells why.
 */
final class LibC {
    static {
        // The class named: else JNA finds its caller through a SecurityManager, whose start spins a dozen lambdas.
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static int errno() {
        return Native.getLastError();
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, byte[] address, int length);

    static native int setsockopt(int fd, int level, int name, int[] value, int length);

    static native int setsockopt(int fd, int level, int name, long[] value, int length);

    static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    static native long send(int fd, byte[] buffer, long length, int flags);

    static native long recv(int fd, Pointer buffer, long length, int flags);

    /** {@code vector}: struct mmsghdr[]; {@code timeout} null. */
    static native int recvmmsg(int fd, Pointer vector, int length, int flags, Pointer timeout);

    static native int close(int fd);

    /** {@code path} is a NUL-terminated name in native memory: no string conversion per call. */
    static native int open(Pointer path, int flags);

    static native int openat(int dirfd, Pointer path, int flags);

    static native long read(int fd, Pointer buffer, long count);

    static native long readlinkat(int dirfd, Pointer path, Pointer buffer, long size);

    /** A counter descriptor one thread writes to wake another's poll (EFD_CLOEXEC | EFD_NONBLOCK in flags). */
    static native int eventfd(int initialValue, int flags);

    static native long write(int fd, long[] value, long count);

    /** {@code fds}: struct pollfd {int fd; short events; short revents} packed in an int[2] per descriptor. */
    static native int poll(int[] fds, long count, int timeoutMillis);

    static native int inotify_init1(int flags);

    /** {@code path} NUL-terminated. */
    static native int inotify_add_watch(int fd, byte[] path, int mask);

    /** {@code time}: a time_t; {@code tm}: a struct tm to fill. Null on failure. */
    static native Pointer localtime_r(Pointer time, Pointer tm);

    static native void tzset();

    /** struct utsname: six NUL-padded fields of 65 bytes on Linux. */
    static native int uname(byte[] utsname);

    /** struct timespec as two longs (64-bit Linux). */
    static native int clock_gettime(int clock, long[] timespec);
}
