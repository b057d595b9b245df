package io.formix.registry;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Roster;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rebuilds the registry ({@code network.db}'s nodes) from the signed documents in the data folder:
 * <ol>
 *   <li>{@code network.json} must verify against the pinned admin fingerprint and name the pinned
 *       network id; otherwise nothing is trusted ({@link RegistryException}).</li>
 *   <li>{@code roster.json} (and its further pages, {@link RosterPages}) must be signed by that admin, for that network, with a version no lower
 *       than the last accepted one; a refused roster leaves the registry as it was (a problem).</li>
 *   <li>Each {@code nodes/<uid>.json} the roster lists must be signed by the identity key the roster
 *       names, for this network and this uid; a refused one is a problem and its node keeps the
 *       descriptor accepted before (if any). One the roster does not list is pending admission.</li>
 * </ol>
 * Members are then upserted into {@code network.db} (remote ones with {@code local} false), in
 * roster order. Problems are one line each, never content of the documents beyond ids.
 */
public final class RegistrySync {

    /** Descriptors of nodes not yet admitted read at most per sync (a host runs 10,000 nodes and more). */
    private static final int MAX_PENDING_FILES = VerifiedDocuments.MAX_PENDING;

    /** A node descriptor seen in the folder, validly self-signed for this network, not yet admitted. */
    public record Candidate(PartyId uid, Role role, String fingerprint) {}

    /**
     * What one sync found.
     *
     * @param network the verified network descriptor (null when the home has no network)
     * @param roster the roster now in force (the folder's, or the last accepted one if the folder's was refused)
     * @param pending candidates for admission, sorted by uid
     * @param problems documents refused, one line each
     * @param keys the verified descriptors of the members now in force, by uid: what {@link
     *     #descriptors} would read back from {@code network.db}, without verifying them again
     */
    public record Result(
            NetworkDescriptor network,
            RosterPages roster,
            List<Candidate> pending,
            List<String> problems,
            Map<PartyId, NodeDescriptor> keys) {
        /** Nothing synced: a home without a network, or one that cannot be written. */
        public static final Result NONE = new Result(null, null, List.of(), List.of(), Map.of());
    }

    private RegistrySync() {}

    /** The verified network descriptor of the pinned network. */
    public static NetworkDescriptor network(FormixHome home, NetworkPin pin) throws RegistryException {
        Path file = SharedFiles.network(home);
        byte[] doc;
        try {
            doc = SharedFiles.read(file)
                    .orElseThrow(() -> new RegistryException("no network descriptor at " + file
                            + " — has the sync brought the data folder here? (check --data-dir)"));
        } catch (IOException e) {
            throw new RegistryException("cannot read " + file + ": " + e.getMessage());
        }
        NetworkDescriptor nd;
        try {
            nd = VerifiedDocuments.network(doc, pin.adminFingerprint());
        } catch (DocumentRejectedException e) {
            throw new RegistryException(file + " refused: " + e.getMessage());
        }
        if (!nd.networkId().hex().equals(pin.networkId())) {
            throw new RegistryException(file + " refused: it describes network " + nd.networkId()
                    + ", this home belongs to " + pin.networkId());
        }
        return nd;
    }

    /** Syncs {@code net} with the folder; a home without a network has nothing to sync. */
    public static Result sync(FormixHome home, NetworkDb net) throws RegistryException {
        Optional<NetworkPin> pinned = net.pin();
        if (pinned.isEmpty()) {
            return Result.NONE;
        }
        NetworkPin pin = pinned.get();
        NetworkDescriptor nd = network(home, pin);
        List<String> problems = new ArrayList<>();
        RosterPages roster = null;
        try {
            roster = RosterPages.read(home, nd, pin.rosterVersion()).orElse(null);
        } catch (RegistryException e) {
            problems.add(e.getMessage());
        }
        if (roster == null) {
            // Nothing new to apply: the registry stays as last accepted.
            RosterPages current = current(net, nd.networkId(), pin.rosterVersion());
            return new Result(
                    nd, current, pending(home, nd, current, problems), problems, descriptors(net, nd, current));
        }
        // What network.db holds, and the roster it was accepted under (rebuilt only if a file differs).
        Map<PartyId, byte[]> held = net.descriptors();
        RosterPages[] before = new RosterPages[1];
        Map<PartyId, byte[]> verified = new HashMap<>();
        Map<PartyId, NodeDescriptor> keys = new HashMap<>();
        for (Roster.Entry e : roster.entries()) {
            Path file = SharedFiles.node(home, e.uid());
            byte[] old = held.get(e.uid());
            try {
                Optional<byte[]> doc = KnownFiles.read(file); // not read again while unchanged
                if (doc.isPresent()) {
                    // A descriptor older than the one accepted (a replayed copy) is refused; the
                    // very bytes accepted are not older than themselves.
                    long lastSeq = Arrays.equals(doc.get(), old) ? -1 : lastSeq(net, nd, pin, before, e.uid(), old);
                    Optional<NodeDescriptor> d = roster.verify(doc.get(), nd, e.uid(), lastSeq);
                    if (d.isPresent()) {
                        verified.put(e.uid(), doc.get());
                        keys.put(e.uid(), d.get());
                    } else {
                        problems.add(file + " refused: it does not describe " + e.uid());
                    }
                }
            } catch (DocumentRejectedException | IOException ex) {
                problems.add(file + " refused: " + ex.getMessage());
            }
            if (!keys.containsKey(e.uid()) && old != null) {
                // The row keeps the descriptor accepted before: in force if it matches the roster now.
                inForce(roster, nd, e.uid(), old).ifPresent(d -> keys.put(e.uid(), d));
            }
        }
        List<NetworkDb.Member> members = new ArrayList<>();
        long pos = 0;
        for (Roster.Entry e : roster.entries()) {
            boolean local = Files.exists(home.nodeKeysDir(e.uid()).resolve("identity.key"), LinkOption.NOFOLLOW_LINKS);
            NodeSettings.LocalSettings own = local ? NodeSettings.of(home, e.uid()) : null;
            members.add(new NetworkDb.Member(
                    e.uid(),
                    e.role() == Role.HEAVY ? NodeRecord.Role.HEAVY : NodeRecord.Role.LIGHT,
                    pos++,
                    e.identityFingerprint(),
                    verified.get(e.uid()),
                    local,
                    own == null ? null : own.approval(),
                    own == null ? 0 : own.createdAt()));
        }
        net.applyRoster(roster.stamp(), members, System.currentTimeMillis());
        return new Result(nd, roster, pending(home, nd, roster, problems), problems, Map.copyOf(keys));
    }

    /** The sequence of the descriptor {@code net} holds for {@code uid}, if it verifies against the roster it was accepted under. */
    private static long lastSeq(
            NetworkDb net, NetworkDescriptor nd, NetworkPin pin, RosterPages[] before, PartyId uid, byte[] held) {
        if (held == null) {
            return -1;
        }
        if (before[0] == null) {
            before[0] = current(net, nd.networkId(), pin.rosterVersion());
        }
        return inForce(before[0], nd, uid, held).map(NodeDescriptor::seq).orElse(-1L);
    }

    private static Optional<NodeDescriptor> inForce(RosterPages roster, NetworkDescriptor nd, PartyId uid, byte[] doc) {
        try {
            return roster.verify(doc, nd, uid, -1);
        } catch (DocumentRejectedException ignored) {
            return Optional.empty(); // accepted once, but no longer matching the roster: not usable
        }
    }

    /** The roster last accepted into {@code net}, rebuilt from its rows. */
    static RosterPages current(NetworkDb net, NetworkId id, long stamp) {
        List<Roster.Entry> entries = new ArrayList<>();
        Map<PartyId, String> identities = net.identities();
        for (NodeRecord r : net.members(null)) {
            String fpr = identities.get(r.uid());
            if (fpr != null) {
                entries.add(new Roster.Entry(r.uid(), r.isHeavy() ? Role.HEAVY : Role.LIGHT, fpr));
            }
        }
        return RosterPages.of(id, Math.max(0, stamp) / RosterPages.RADIX, entries);
    }

    /** The members' verified descriptors as {@code network.db} holds them, checked again against its roster. */
    public static Map<PartyId, NodeDescriptor> descriptors(NetworkDb net, NetworkDescriptor nd) {
        long stamp = net.pin().map(NetworkPin::rosterVersion).orElse(0L);
        return descriptors(net, nd, current(net, nd.networkId(), stamp));
    }

    private static Map<PartyId, NodeDescriptor> descriptors(NetworkDb net, NetworkDescriptor nd, RosterPages roster) {
        // On every core: the first sync of a process verifies every member's signature (10,000 at a
        // host's start); later ones find the same bytes in VerifiedDocuments and verify none.
        Map<PartyId, NodeDescriptor> out = new java.util.concurrent.ConcurrentHashMap<>();
        net.descriptors().entrySet().parallelStream()
                .forEach(e -> inForce(roster, nd, e.getKey(), e.getValue()).ifPresent(d -> out.put(d.uid(), d)));
        return out;
    }

    /** Validly self-signed descriptors in the folder of nodes the roster does not list. */
    private static List<Candidate> pending(
            FormixHome home, NetworkDescriptor nd, RosterPages roster, List<String> problems) {
        Path dir = SharedFiles.nodesDir(home);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String uid = name.substring(0, name.length() - ".json".length());
                if (PartyId.isValid(uid) && roster.entry(PartyId.of(uid)).isPresent()) {
                    continue; // a member: not pending, not read
                }
                if (names.size() >= MAX_PENDING_FILES) {
                    problems.add(dir + " holds more than " + MAX_PENDING_FILES + " descriptors of nodes not yet "
                            + "admitted; the rest were not read");
                    break;
                }
                names.add(name);
            }
        } catch (IOException e) {
            problems.add("cannot list " + dir + ": " + e.getMessage());
            return List.of();
        }
        List<Candidate> out = new ArrayList<>();
        for (String name : names) {
            String uid = name.substring(0, name.length() - ".json".length());
            if (!PartyId.isValid(uid) || roster.entry(PartyId.of(uid)).isPresent()) {
                continue;
            }
            Path f = dir.resolve(name);
            try {
                byte[] doc = SharedFiles.read(f).orElseThrow(() -> new IOException("vanished while read"));
                VerifiedDocuments.Claim claimed = RosterPages.selfSigned(doc, nd, roster, PartyId.of(uid));
                if (!claimed.uid().equals(uid)) {
                    problems.add(f + " refused: it describes another uid, not " + uid);
                    continue;
                }
                out.add(new Candidate(PartyId.of(uid), claimed.role(), claimed.fingerprint()));
            } catch (DocumentRejectedException | IOException | RuntimeException e) {
                problems.add(f + " refused: " + e.getMessage());
            }
        }
        return out;
    }
}
