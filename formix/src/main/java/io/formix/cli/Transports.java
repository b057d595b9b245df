package io.formix.cli;

import io.formix.node.TransportFactory;
import io.formix.protocol.MessageLimits;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The transport factory named by {@code --transport}: {@code file} (default; every node's channels
 * under the data dir, which any folder sync can carry) or {@code tcp} (each node listens on an
 * ephemeral port recorded in {@code network.db}'s {@code tcp_port} column; peers are resolved there).
 */
final class Transports {

    private Transports() {
    }

    /**
     * The factory for a host of the {@code hosted} nodes. Every endpoint accepts at most what the
     * protocol can send to its node's role ({@link MessageLimits}), so an oversized message is
     * refused before it is allocated. File: the fallback rescan behind inotify lists the whole data
     * dir, so its interval grows with the number of nodes in the host (1 s for a few, 60 s for a
     * thousand) to keep an idle host idle.
     */
    static TransportFactory factory(Main main, NetworkDb net, Collection<NodeRecord> hosted) {
        Set<PartyId> heavy = new HashSet<>();
        hosted.forEach(r -> {
            if (r.isHeavy()) {
                heavy.add(r.uid());
            }
        });
        ToIntFunction<PartyId> maxBytes = self -> MessageLimits.maxMessageBytes(heavy.contains(self));
        String name = main.transportName();
        if (name.equals("tcp")) {
            return TcpTransports.factory(net, maxBytes);
        }
        Path root = main.formixHome().dataDir();
        Duration rescan = Duration.ofMillis(Math.max(1_000, Math.min(60_000, hosted.size() * 60L)));
        return new TransportFactory() {
            @Override
            public Transport open(PartyId self) throws IOException {
                // Cursors, counters, quarantine and the lock are this host's own: under the home,
                // never in the data dir that a sync engine carries to other machines.
                return FileTransport.builder(root, self).rescanInterval(rescan)
                        .maxMessageBytes(maxBytes.applyAsInt(self))
                        .stateDir(main.formixHome().nodeDir(self).resolve("transport")).open();
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
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            // A folder already, or something else under that name (a file, FIFO or link someone
            // put): the transport ignores it and says so; it must not keep the host from starting.
            return;
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile by another host or process
        }
    }
}
