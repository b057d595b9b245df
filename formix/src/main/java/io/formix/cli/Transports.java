package io.formix.cli;

import io.formix.node.TransportFactory;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/**
 * The transport factory named by {@code --transport}: {@code file} (default; every node's channels
 * under the data dir, which any folder sync can carry) or {@code tcp} (each node listens on an
 * ephemeral port recorded in {@code network.db}'s {@code tcp_port} column; peers are resolved there).
 */
final class Transports {

    private Transports() {
    }

    /**
     * The factory for a host of {@code hosted} nodes. File: the fallback rescan behind inotify
     * lists the whole data dir, so its interval grows with the number of nodes in the host (1 s
     * for a few, 60 s for a thousand) to keep an idle host idle.
     */
    static TransportFactory factory(Main main, NetworkDb net, int hosted) {
        String name = main.transportName();
        if (name.equals("tcp")) {
            return TcpTransports.factory(net);
        }
        Path root = main.formixHome().dataDir();
        Duration rescan = Duration.ofMillis(Math.max(1_000, Math.min(60_000, hosted * 60L)));
        return new TransportFactory() {
            @Override
            public Transport open(PartyId self) throws IOException {
                return FileTransport.builder(root, self).rescanInterval(rescan).open();
            }

            @Override
            public void prepare(Collection<NodeRecord> nodes, Collection<NodeRecord> all) throws IOException {
                Files.createDirectories(root);
                for (NodeRecord n : nodes) {
                    for (NodeRecord peer : all) {
                        if (peer.isHeavy() || n.isHeavy()) {
                            if (!peer.uid().equals(n.uid())) {
                                channel(root, n.uid(), peer.uid());
                                channel(root, peer.uid(), n.uid());
                            }
                        }
                    }
                }
            }
        };
    }

    private static void channel(Path root, PartyId from, PartyId to) throws IOException {
        Path dir = root.resolve(from.value() + "_to_" + to.value());
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
    }
}
