package io.formix.registry;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException;
import io.formix.transport.seal.IdentityKey;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Roster;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Making a network and its members: {@code network create} (an admin key in the home, a signed
 * network descriptor and an empty roster in the folder), {@code network join} (pinning the
 * folder's descriptor after checking it against the fingerprint given out of band),
 * {@code node create} (a node's keys in the home, its signed descriptor in the folder) and
 * {@code network admit} (a new roster version signed by the admin). No private key is ever
 * written under the data folder.
 */
public final class Membership {

    /** The channel layout named in the network descriptor: wire format v1 files. */
    static final String LAYOUT = "file-v1";
    /**
     * Keys are valid from a day before they are made (hosts' clocks differ; a sender refuses a key
     * whose not-before it has not reached) for ten years, unless a rotation ({@link KeyRotation#rotate}) ends them sooner.
     */
    static final Duration BACKDATE = Duration.ofDays(1);

    static final Duration LIFETIME = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private Membership() {}

    /**
     * Creates a network administered from this home and pins it.
     *
     * @param tagged whether this home names its nodes with a random tag ({@code heavy-<tag>-1}),
     *     as every home of a multi-machine network must; {@code network up} on one machine does not
     */
    public static NetworkPin create(FormixHome home, NetworkDb net, boolean tagged)
            throws RegistryException, IOException {
        Optional<NetworkPin> have = net.pin();
        if (have.isPresent()) {
            throw new RegistryException(
                    "this home already belongs to network " + have.get().networkId() + " (admin fingerprint "
                            + have.get().adminFingerprint() + ")");
        }
        if (Files.exists(SharedFiles.network(home), LinkOption.NOFOLLOW_LINKS)) {
            throw new RegistryException("this data folder already holds a network (network " + claimedNetwork(home)
                    + ", in " + home.dataDir() + "); use another --data-dir, or join it with formix network join "
                    + "--fingerprint FP (its admin's fingerprint)");
        }
        Instant now = Instant.now();
        NodeKeys admin;
        try {
            admin = NodeKeys.create(home.adminDir(), now.minus(BACKDATE), now.plus(LIFETIME));
        } catch (FileAlreadyExistsException e) {
            throw new RegistryException(
                    "an admin key already exists in " + home.adminDir() + " — move it aside to create another network");
        }
        NetworkDescriptor nd = NetworkDescriptor.create(admin.identity(), LAYOUT);
        SharedFiles.write(SharedFiles.network(home), nd.sign(admin.identity()));
        RosterPages.of(nd.networkId(), 0, List.of()).publish(home, admin.identity());
        Files.createDirectories(SharedFiles.nodesDir(home));
        return net.pin(
                new NetworkPin(nd.networkId().hex(), nd.adminFingerprint(), -1, tagged ? newTag() : null),
                System.currentTimeMillis());
    }

    /**
     * The network id {@code network.json} claims, unverified (only to name it in an error), or
     * "(unreadable)". Never the admin fingerprint in it: that one must come from the admin.
     */
    private static String claimedNetwork(FormixHome home) {
        try {
            byte[] doc = SharedFiles.read(SharedFiles.network(home)).orElse(null);
            if (doc != null) {
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                var payload = mapper.readTree(java.util.Base64.getUrlDecoder()
                        .decode(mapper.readTree(doc).path("payload").asText("")));
                return NetworkId.fromHex(payload.path("net").asText("")).hex();
            }
        } catch (IOException | RuntimeException e) {
            // named as unreadable below
        }
        return "(unreadable)";
    }

    /** Pins the network whose descriptor is in the folder, if it is signed by the key of {@code fingerprint}. */
    public static NetworkPin join(FormixHome home, NetworkDb net, String fingerprint) throws RegistryException {
        NetworkPin probe = new NetworkPin("", fingerprint, -1, null);
        byte[] doc;
        try {
            doc = SharedFiles.read(SharedFiles.network(home))
                    .orElseThrow(() -> new RegistryException("no network descriptor at " + SharedFiles.network(home)
                            + " yet — wait for the sync to bring it, or check --data-dir"));
        } catch (IOException e) {
            throw new RegistryException("cannot read " + SharedFiles.network(home) + ": " + e.getMessage());
        }
        NetworkDescriptor nd;
        try {
            nd = NetworkDescriptor.verify(doc, probe.adminFingerprint());
        } catch (DocumentRejectedException e) {
            throw new RegistryException(e.getMessage() + " — check the fingerprint with the network's admin,"
                    + " out of band (never take one from the synced folder)");
        }
        Optional<NetworkPin> have = net.pin();
        if (have.isPresent()) {
            if (have.get().networkId().equals(nd.networkId().hex())) {
                return have.get();
            }
            throw new RegistryException(
                    "this home already belongs to network " + have.get().networkId());
        }
        return net.pin(
                new NetworkPin(nd.networkId().hex(), nd.adminFingerprint(), -1, newTag()), System.currentTimeMillis());
    }

    /** The admin key, if this home created the network. */
    public static Optional<IdentityKey> adminKey(FormixHome home) throws IOException {
        if (!Files.exists(home.adminDir().resolve("identity.key"), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(NodeKeys.load(home.adminDir()).identity());
    }

    /**
     * Makes the keys of a new local node (in {@code nodes/<uid>/keys/}, mode 0600) and publishes its
     * signed descriptor in the folder; records its identity fingerprint in {@code network.db}.
     */
    public static void publish(FormixHome home, NetworkDb net, NetworkPin pin, NodeRecord node) throws IOException {
        Instant now = Instant.now();
        NodeKeys keys;
        if (Files.exists(home.nodeKeysDir(node.uid()).resolve("identity.key"), LinkOption.NOFOLLOW_LINKS)) {
            keys = NodeKeys.load(home.nodeKeysDir(node.uid()));
        } else {
            Files.createDirectories(home.nodeDir(node.uid()));
            keys = NodeKeys.create(home.nodeKeysDir(node.uid()), now.minus(BACKDATE), now.plus(LIFETIME));
        }
        NodeDescriptor d = NodeDescriptor.of(
                NetworkId.fromHex(pin.networkId()), node.uid(), node.isHeavy() ? Role.HEAVY : Role.LIGHT, 0, keys);
        SharedFiles.write(SharedFiles.node(home, node.uid()), d.sign(keys.identity()));
        if (!Files.exists(NodeSettings.file(home, node.uid()), LinkOption.NOFOLLOW_LINKS)) {
            String json = "{\"approval\":\"" + node.approval().label() + "\",\"createdAt\":" + node.createdAt() + "}";
            SharedFiles.write(
                    NodeSettings.file(home, node.uid()), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        net.setIdentity(node.uid(), d.identityFingerprint());
    }

    /** A local node's keys. */
    public static NodeKeys keys(FormixHome home, PartyId uid) throws IOException {
        return NodeKeys.load(home.nodeKeysDir(uid));
    }

    /**
     * Admits pending nodes: signs and publishes the next roster version, the current members first
     * (their order never changes) and then {@code uids} in the order given.
     *
     * @param uids the nodes to admit; null for every pending node
     * @return the nodes admitted
     */
    public static List<PartyId> admit(FormixHome home, NetworkDb net, Collection<PartyId> uids)
            throws RegistryException, IOException {
        IdentityKey admin = adminKey(home)
                .orElseThrow(
                        () -> new RegistryException("only the home that created the network holds its admin key, and "
                                + home.home() + " does not"));
        RegistrySync.Result now = RegistrySync.sync(home, net);
        List<Roster.Entry> entries =
                new ArrayList<>(now.roster() == null ? List.of() : now.roster().entries());
        List<PartyId> admitted = new ArrayList<>();
        List<PartyId> wanted = uids == null
                ? now.pending().stream().map(RegistrySync.Candidate::uid).toList()
                : List.copyOf(uids);
        for (PartyId uid : wanted) {
            if (entries.stream().anyMatch(e -> e.uid().equals(uid))) {
                continue; // already a member
            }
            RegistrySync.Candidate c = now.pending().stream()
                    .filter(p -> p.uid().equals(uid))
                    .findFirst()
                    .orElseThrow(() -> new RegistryException("no pending descriptor of " + uid + " in "
                            + SharedFiles.nodesDir(home) + " — see formix network pending"));
            entries.add(new Roster.Entry(c.uid(), c.role(), c.fingerprint()));
            admitted.add(uid);
        }
        if (admitted.isEmpty()) {
            return admitted;
        }
        long version = now.roster() == null ? 0 : now.roster().version() + 1;
        RosterPages next;
        try {
            next = RosterPages.of(now.network().networkId(), version, entries);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(e.getMessage() + "; " + entries.size() + " were asked for");
        }
        next.publish(home, admin);
        RegistrySync.sync(home, net);
        return admitted;
    }

    /**
     * Forgets removed local nodes: deletes their descriptors from the folder (this home wrote
     * them) and, in the admin's home, signs a roster without them.
     *
     * @return whether the roster changed (false: not the admin's home, or they were not members)
     */
    public static boolean remove(FormixHome home, NetworkDb net, Collection<PartyId> uids)
            throws RegistryException, IOException {
        for (PartyId uid : uids) {
            Files.deleteIfExists(SharedFiles.node(home, uid));
        }
        Optional<IdentityKey> admin = adminKey(home);
        if (admin.isEmpty() || net.pin().isEmpty()) {
            return false;
        }
        RegistrySync.Result now = RegistrySync.sync(home, net);
        if (now.roster() == null) {
            return false;
        }
        List<Roster.Entry> kept = new ArrayList<>();
        for (Roster.Entry e : now.roster().entries()) {
            if (!uids.contains(e.uid())) {
                kept.add(e);
            }
        }
        if (kept.size() == now.roster().entries().size()) {
            return false;
        }
        RosterPages.of(now.network().networkId(), now.roster().version() + 1, kept)
                .publish(home, admin.get());
        RegistrySync.sync(home, net);
        return true;
    }

    /** A few random characters naming this home's nodes, so homes never pick the same uid. */
    static String newTag() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            b.append(BASE32.charAt(RANDOM.nextInt(32)));
        }
        return b.toString();
    }
}
