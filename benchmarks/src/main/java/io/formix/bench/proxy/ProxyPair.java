package io.formix.bench.proxy;

import io.formix.proxy.Framing;
import io.formix.proxy.Proxy;
import io.formix.proxy.ProxyConfig;
import io.formix.transport.PartyId;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;

/**
 * Two parties, each an application behind its own {@link Proxy}, sharing one channel folder:
 * left is party 0's application (it listens, its proxy connects), right is party 1's (it connects
 * to its proxy). Exactly the deployment of {@code scripts/proxy-demo.sh}, in one JVM.
 */
final class ProxyPair implements AutoCloseable {
    final Apps apps;
    private final Proxy p0;
    private final Proxy p1;

    private ProxyPair(Apps apps, Proxy p0, Proxy p1) {
        this.apps = apps;
        this.p0 = p0;
        this.p1 = p1;
    }

    static ProxyPair open(Path dir, Framing framing, boolean durable, int maxMessage) throws Exception {
        int base0 = Apps.freeBase(1);
        int base1 = Apps.freeBase(1);
        try (ServerSocket app0 = new ServerSocket(base0 + 1, 1, InetAddress.getLoopbackAddress())) {
            Proxy p0 = start(dir, 0, base0, framing, durable, maxMessage);
            Proxy p1 = start(dir, 1, base1, framing, durable, maxMessage);
            Socket right = new Socket(InetAddress.getLoopbackAddress(), base1 + 1);
            Socket left = app0.accept();
            return new ProxyPair(new Apps(left, right), p0, p1);
        }
    }

    private static Proxy start(Path dir, int pid, int base, Framing framing, boolean durable, int max)
            throws IOException {
        FileTransport t = FileTransport.builder(dir, PartyId.ofPid(pid))
                .maxMessageBytes(max)
                .durable(durable)
                .open();
        return Proxy.start(
                ProxyConfig.builder(pid, 2, base, base)
                        .framing(framing)
                        .stateDir(dir.resolve(".formix-proxy-" + pid))
                        .build(),
                t);
    }

    /** Average payload of the messages party 0's proxy wrote to its channel (raw mode: the chunk size). */
    double averageMessageBytes() {
        var s = p0.stats().get(0);
        return s.messagesOut() == 0 ? 0 : (double) s.bytesOut() / s.messagesOut();
    }

    @Override
    public void close() throws IOException {
        apps.close();
        p0.close();
        p1.close();
    }
}
