package io.formix.bench.proxy;

import io.formix.transport.FrameCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/** The two TCP applications of a measurement: a connected socket pair, however it was wired. */
final class Apps implements AutoCloseable {
    final Socket left;
    final Socket right;
    final DataInputStream leftIn;
    final DataInputStream rightIn;
    final OutputStream leftOut;
    final OutputStream rightOut;

    Apps(Socket left, Socket right) throws IOException {
        this.left = left;
        this.right = right;
        for (Socket s : new Socket[] {left, right}) {
            s.setTcpNoDelay(true);
        }
        leftIn = new DataInputStream(new BufferedInputStream(left.getInputStream(), 1 << 16));
        rightIn = new DataInputStream(new BufferedInputStream(right.getInputStream(), 1 << 16));
        leftOut = new BufferedOutputStream(left.getOutputStream(), 1 << 16);
        rightOut = new BufferedOutputStream(right.getOutputStream(), 1 << 16);
    }

    /** A bare loopback pair: the raw floor. */
    static Apps bare() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket l = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            return new Apps(l, server.accept());
        }
    }

    /** Echoes frames from right back to right, on a daemon thread, until the socket closes. */
    void echoRight(int maxPayload) {
        Thread t = new Thread(
                () -> {
                    try {
                        while (true) {
                            byte[] p = FrameCodec.read(rightIn, maxPayload);
                            if (p == null) {
                                return;
                            }
                            FrameCodec.write(rightOut, p);
                            rightOut.flush();
                        }
                    } catch (IOException e) {
                        // the measurement is over
                    }
                },
                "echo");
        t.setDaemon(true);
        t.start();
    }

    static void readFully(InputStream in, long bytes, byte[] buf) throws IOException {
        long left = bytes;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("stream ended with " + left + " bytes to go");
            }
            left -= n;
        }
    }

    /** A base port whose next {@code span} ports are free now. */
    static int freeBase(int span) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(40_000);
            boolean ok = true;
            for (int p = base + 1; p <= base + span && ok; p++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                } catch (IOException e) {
                    ok = false;
                }
            }
            if (ok) {
                return base;
            }
        }
        throw new IOException("no free port range");
    }

    @Override
    public void close() throws IOException {
        left.close();
        right.close();
    }
}
