package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A hand-driven socket peer for fault tests: writes exactly the bytes a test asks for. */
final class RawPeer implements AutoCloseable {

    final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawPeer(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    RawPeer(Socket accepted) throws IOException {
        socket = accepted;
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Directory-mode hello; returns the listener's answer. */
    String hello(String from, String to) throws IOException {
        frame(("formix-tcp/1 " + from + " " + to).getBytes(StandardCharsets.US_ASCII));
        return new String(readFrame(), StandardCharsets.US_ASCII);
    }

    void frame(byte[] payload) throws IOException {
        out.write(FrameCodec.encode(payload));
        out.flush();
    }

    void header(long length) throws IOException {
        out.write(FrameCodec.header(length));
        out.flush();
    }

    void bytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    byte[] readFrame() throws IOException {
        byte[] p = FrameCodec.read(in, 1 << 20);
        if (p == null) {
            throw new IOException("peer closed");
        }
        return p;
    }

    /** Waits (up to the socket timeout) for the other side to close: true on EOF or reset. */
    boolean closedByOtherSide() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with SO_LINGER 0: the kernel sends RST instead of FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
