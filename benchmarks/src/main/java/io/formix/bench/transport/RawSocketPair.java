package io.formix.bench.transport;

import io.formix.transport.FrameCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The raw floor for TCP: one loopback socket pair carrying the same 8-byte LE frames, with
 * buffered streams, TCP_NODELAY and nothing else (no threads, no queues, no reconnects).
 */
final class RawSocketPair implements AutoCloseable {
    private final Socket left;
    private final Socket right;

    RawSocketPair() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            left = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            right = server.accept();
        }
        for (Socket s : new Socket[] {left, right}) {
            s.setTcpNoDelay(true);
        }
    }

    Workloads.Endpoint leftEnd() throws IOException {
        return endpoint(left);
    }

    Workloads.Endpoint rightEnd() throws IOException {
        return endpoint(right);
    }

    private static Workloads.Endpoint endpoint(Socket s) throws IOException {
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
        return new Workloads.Endpoint() {
            @Override
            public void send(byte[] payload) throws IOException {
                FrameCodec.write(out, payload);
                out.flush();
            }

            @Override
            public byte[] receive() throws IOException {
                return FrameCodec.read(in, Integer.MAX_VALUE - 16);
            }
        };
    }

    @Override
    public void close() throws IOException {
        left.close();
        right.close();
    }
}
