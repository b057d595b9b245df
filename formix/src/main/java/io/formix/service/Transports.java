package io.formix.service;

import io.formix.node.TransportFactory;
import io.formix.protocol.MessageLimits;
import io.formix.registry.Membership;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.ChannelNames;
import io.formix.transport.file.FileTransport;
import io.formix.transport.seal.KeyDirectory;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.SealingTransport;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The transport factory named by {@code --transport}: {@code file} (default; every node's channels
 * under the data dir, which any folder sync can carry) or {@code tcp} (each node listens on an
 * ephemeral port recorded in {@code network.db}'s {@code tcp_port} column; peers are resolved there).
 */
final class Transports {

    private Transports() {}

    /**
     * The factory for a host of the {@code hosted} nodes. Every endpoint accepts at most what the
     * protocol can send to its node's role ({@link MessageLimits}), so an oversized message is
     * refused before it is allocated. File: the fallback rescan behind inotify lists the whole data
     * dir, so its interval grows with the number of nodes in the host (1 s for a few, 60 s for a
     * thousand) to keep an idle host idle.
     */
    static TransportFactory factory(Home home, NetworkDb net, Collection<NodeRecord> hosted) {
        return factory(home, net, hosted, null);
    }

    /**
     * What sealing needs: the network id, where to find other nodes' keys, and this home (each
     * node's own keys are in {@code nodes/<uid>/keys/}). {@code own} collects the keys of every
     * endpoint opened, so the host can read them again after a rotation ({@link #reloadOwnKeys}).
     */
    record Sealing(NetworkId network, KeyDirectory directory, FormixHome home, Map<PartyId, NodeKeys> own) {
        Sealing(NetworkId network, KeyDirectory directory, FormixHome home) {
            this(network, directory, home, new ConcurrentHashMap<>());
        }

        /**
         * Reads the key stores of the opened endpoints again: a key added by {@code node rotate-key}
         * opens messages from now on, and an older key's shortened expiry is enforced.
         *
         * @return one line per node whose keys changed or could not be read
         */
        List<String> reloadOwnKeys() {
            List<String> out = new ArrayList<>();
            for (Map.Entry<PartyId, NodeKeys> e : own.entrySet()) {
                try {
                    if (e.getValue().reload()) {
                        out.add("keys of " + e.getKey() + " reloaded: "
                                + e.getValue().encryptionKeys().size() + " encryption key(s)");
                    }
                } catch (IOException | RuntimeException ex) {
                    out.add("cannot reload the keys of " + e.getKey() + ": " + ex.getMessage());
                }
            }
            return out;
        }
    }

    /**
     * System property that turns sealing off, for benchmarks that measure what sealing costs; the
     * CLI offers no option for it.
     */
    static final String PLAINTEXT_PROPERTY = "formix.benchmark.plaintext";

    /**
     * The factory for a host of the {@code hosted} nodes, every endpoint wrapped in a
     * {@link SealingTransport} when {@code sealing} is given: every message sent is sealed to its
     * recipient and signed, every message received must be sealed to this node and signed by an
     * admitted sender, or it is refused and logged in the node's log (sender, channel, number,
     * size, step; never content). The underlying endpoint's bound grows by the sealing overhead
     * ({@link MessageLimits#sealedMaxMessageBytes}), and plaintexts are padded to
     * {@link MessageLimits#SEAL_PAD_BYTES}, so shares and declines are one size on the wire.
     */
    static TransportFactory factory(Home home, NetworkDb net, Collection<NodeRecord> hosted, Sealing sealing) {
        TransportFactory plain = plainFactory(home, net, hosted, sealing != null);
        return sealing == null ? plain : sealed(plain, sealing);
    }

    private static TransportFactory sealed(TransportFactory plain, Sealing sealing) {
        Map<PartyId, Transport> inner = new ConcurrentHashMap<>();
        return new TransportFactory() {
            @Override
            public Transport open(PartyId self) throws IOException {
                return open(self, text -> {});
            }

            @Override
            public Transport open(PartyId self, TransportFactory.Events events) throws IOException {
                Transport t = plain.open(self, events);
                try {
                    NodeKeys keys = Membership.keys(sealing.home(), self);
                    Transport s = SealingTransport.builder(t, keys, sealing.network(), sealing.directory())
                            .padTo(MessageLimits.SEAL_PAD_BYTES)
                            .rejectionListener(r -> {
                                events.warn("rejected message #" + r.sequence() + " from " + r.from() + " on channel "
                                        + ChannelNames.channel(r.from(), r.to()) + " (" + r.size() + " bytes) at step "
                                        + r.step() + ": " + r.reason());
                                events.refused(r.from(), "at step " + r.step() + ": " + r.reason());
                            })
                            .build();
                    inner.put(self, t);
                    sealing.own().put(self, keys);
                    return s;
                } catch (IOException | RuntimeException e) {
                    t.close();
                    throw e;
                }
            }

            @Override
            public void opened(PartyId self, Transport transport) {
                plain.opened(self, inner.getOrDefault(self, transport));
            }

            @Override
            public TransportFactory.Arrivals arrivals(PartyId self, Transport opened) {
                return plain.arrivals(self, inner.getOrDefault(self, opened));
            }

            @Override
            public void prepare(Collection<NodeRecord> nodes, Collection<NodeRecord> all) throws IOException {
                plain.prepare(nodes, all);
            }
        };
    }

    private static TransportFactory plainFactory(
            Home home, NetworkDb net, Collection<NodeRecord> hosted, boolean sealed) {
        Set<PartyId> heavy = new HashSet<>();
        hosted.forEach(r -> {
            if (r.isHeavy()) {
                heavy.add(r.uid());
            }
        });
        // Every node sends up to what a heavy node accepts (a light node's share of a long vector);
        // a light node accepts only what the protocol ever sends it.
        ToIntFunction<PartyId> receiveBytes = self -> sealed
                ? MessageLimits.sealedMaxMessageBytes(heavy.contains(self))
                : MessageLimits.maxMessageBytes(heavy.contains(self));
        int sendBytes = sealed ? MessageLimits.sealedMaxMessageBytes(true) : MessageLimits.maxMessageBytes(true);
        String name = home.transport();
        if (name.equals("tcp")) {
            return TcpTransports.factory(net, sendBytes, receiveBytes);
        }
        Path root = home.dataDir();
        Duration rescan = Duration.ofMillis(Math.max(1_000, Math.min(60_000, hosted.size() * 60L)));
        SyftBoxConfig syftbox = SyftBoxConfig.read(home.files()); // null: the default layout
        return new TransportFactory() {
            @Override
            public Transport open(PartyId self) throws IOException {
                // Cursors, counters, quarantine and the lock are this host's own: under the home,
                // never in the data dir that a sync engine carries to other machines.
                // Sealed: every genuine message is the sender's own, so a corrupt file in the folder
                // was planted and must not take the number of the sender's real message.
                FileTransport.Builder b = FileTransport.builder(root, self)
                        .rescanInterval(rescan)
                        .maxMessageBytes(sendBytes)
                        .maxReceiveBytes(receiveBytes.applyAsInt(self))
                        .corruptKeepsNumber(sealed)
                        .stateDir(home.files().nodeDir(self).resolve("transport"));
                if (syftbox != null) {
                    b.layout(syftbox.layout(net.nodes(null), self)); // the nodes known now
                }
                return b.open();
            }

            @Override
            public TransportFactory.Arrivals arrivals(PartyId self, Transport opened) {
                return opened instanceof FileTransport f ? f::onArrival : null;
            }

            @Override
            public void prepare(Collection<NodeRecord> nodes, Collection<NodeRecord> all) throws IOException {
                if (syftbox != null) {
                    return; // each sender creates its channel folders in its datasite
                }
                Files.createDirectories(root);
                // A heavy node talks with everyone, a light node with the heavy nodes only: O(N·heavy)
                // pairs, each folder looked at once (a heavy node here and a light node here name the
                // same pair twice).
                List<NodeRecord> heavies = new ArrayList<>();
                all.forEach(r -> {
                    if (r.isHeavy()) {
                        heavies.add(r);
                    }
                });
                Set<String> seen = new HashSet<>();
                for (NodeRecord n : nodes) {
                    for (NodeRecord peer : n.isHeavy() ? all : heavies) {
                        if (!peer.uid().equals(n.uid())) {
                            channel(root, n.uid(), peer.uid(), seen);
                            channel(root, peer.uid(), n.uid(), seen);
                        }
                    }
                }
            }
        };
    }

    private static void channel(Path root, PartyId from, PartyId to, Set<String> seen) throws IOException {
        String name = ChannelNames.channel(from, to);
        if (!seen.add(name)) {
            return;
        }
        Path dir = root.resolve(name);
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
