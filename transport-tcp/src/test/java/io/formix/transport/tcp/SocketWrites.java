package io.formix.transport.tcp;

import java.util.Locale;

/**
 * Test support: whether a thread is inside a socket write. A write blocked on a full send buffer
 * is a RUNNABLE native call, not a parked thread, so {@link Thread#getState()} cannot tell; its
 * stack can (the JDK's socket classes, a method named {@code write...}).
 */
final class SocketWrites {

    private SocketWrites() {
    }

    static boolean inSocketWrite(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            String cls = f.getClassName();
            boolean socketClass = cls.startsWith("sun.nio.ch.") || cls.startsWith("java.net.Socket");
            if (socketClass && f.getMethodName().toLowerCase(Locale.ROOT).contains("write")) {
                return true;
            }
        }
        return false;
    }
}
