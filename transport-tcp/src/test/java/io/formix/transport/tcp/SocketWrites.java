package io.formix.transport.tcp;

import java.util.Locale;

/**
 * Test support: whether a thread is inside a socket write. A write blocked on a full send buffer
 * is either a RUNNABLE native call (a blocking socket) or, for the transport's non-blocking
 * sockets, a thread parked in {@code FramedConnection.awaitWritable} until the socket drains; so
 * {@link Thread#getState()} alone cannot tell, its stack can.
 */
final class SocketWrites {

    private SocketWrites() {}

    static boolean inSocketWrite(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            String cls = f.getClassName();
            if (cls.equals(FramedConnection.class.getName())
                    && f.getMethodName().equals("awaitWritable")) {
                return true;
            }
            boolean socketClass = cls.startsWith("sun.nio.ch.") || cls.startsWith("java.net.Socket");
            if (socketClass && f.getMethodName().toLowerCase(Locale.ROOT).contains("write")) {
                return true;
            }
        }
        return false;
    }
}
