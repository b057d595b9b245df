package io.formix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException;
import io.formix.transport.seal.Fingerprint;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Roster;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry's signed documents this process verified, each remembered with its exact bytes, so
 * a sync that finds the same bytes again checks no signature. A host syncs every 2 s while the
 * folder changes and at least every 30 s, and reads every member's descriptor each time: an
 * Ed25519 verification per document per sync cost a 10,000-node host tens of seconds of CPU.
 *
 * <p>Why a hit can never accept what the full check would refuse: what a verification gives is a
 * function of the document's bytes and of the check's inputs. The bytes are compared in full
 * (never a hash or a size); the inputs that are fixed per entry are part of its key (the pinned
 * admin fingerprint for the network descriptor; the network and its admin for a roster page; the
 * network and uid for a node descriptor); the inputs that may change between syncs are checked
 * again on every hit exactly as the full check does: a roster page's version against the last
 * accepted one (rollback), a node descriptor's uid, role and identity fingerprint against the
 * roster entry now in force and its sequence against the one accepted (replay). Whatever a hit
 * does not confirm goes through the full verification, which then accepts or refuses with its
 * own reason, so a refusal reads the same with or without the cache. Only successes are kept;
 * no check depends on the clock (a key's validity is judged when it is used, not here).
 *
 * <p>Bounded by the members: one entry per (network, uid), replaced when the node publishes new
 * bytes; descriptors of nodes not yet admitted likewise, at most {@value #MAX_PENDING}; past the
 * bound a map starts over. Thread-safe.
 */
final class VerifiedDocuments {

    /** Members of the largest roster (999 pages of 250). */
    static final int MAX_MEMBERS = RosterPages.MAX_PAGES * RosterPages.PER_PAGE;

    static final int MAX_PENDING = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Key(String scope, String name) {}

    private record Seen<T>(byte[] doc, T value) {}

    private static final Map<String, Seen<NetworkDescriptor>> NETWORKS = new ConcurrentHashMap<>();
    private static final Map<Key, Seen<Roster>> PAGES = new ConcurrentHashMap<>();
    private static final Map<Key, Seen<NodeDescriptor>> MEMBERS = new ConcurrentHashMap<>();
    private static final Map<Key, Seen<Claim>> PENDING = new ConcurrentHashMap<>();

    private static final AtomicLong CHECKS = new AtomicLong();

    private VerifiedDocuments() {}

    /** {@link NetworkDescriptor#verify}, once per bytes and pinned fingerprint. */
    static NetworkDescriptor network(byte[] doc, String pinnedFingerprint) throws DocumentRejectedException {
        Seen<NetworkDescriptor> s = NETWORKS.get(pinnedFingerprint);
        if (s != null && Arrays.equals(s.doc(), doc)) {
            return s.value();
        }
        CHECKS.incrementAndGet();
        NetworkDescriptor nd = NetworkDescriptor.verify(doc, pinnedFingerprint);
        remember(NETWORKS, pinnedFingerprint, doc, nd, 64);
        return nd;
    }

    /** {@link Roster#verify} of roster page {@code page}, its version checked against {@code lastStamp} every time. */
    static Roster rosterPage(byte[] doc, NetworkDescriptor nd, int page, long lastStamp)
            throws DocumentRejectedException {
        Key key = new Key(nd.networkId().hex() + "/" + nd.adminFingerprint(), Integer.toString(page));
        Seen<Roster> s = PAGES.get(key);
        if (s != null && Arrays.equals(s.doc(), doc) && s.value().version() >= lastStamp) {
            return s.value();
        }
        CHECKS.incrementAndGet();
        Roster r = Roster.verify(doc, nd, lastStamp);
        remember(PAGES, key, doc, r, MAX_MEMBERS);
        return r;
    }

    /**
     * {@link NodeDescriptor#verify} of {@code uid}'s descriptor against the roster {@code page} that
     * lists it ({@code entry}; empty if none lists it) and the sequence accepted before.
     */
    static Optional<NodeDescriptor> member(
            byte[] doc, NetworkDescriptor nd, Roster page, Optional<Roster.Entry> entry, PartyId uid, long lastSeq)
            throws DocumentRejectedException {
        NetworkId network = page.networkId();
        Key key = new Key(network.hex(), uid.value());
        Seen<NodeDescriptor> s = MEMBERS.get(key);
        if (s != null && entry.isPresent() && network.equals(nd.networkId()) && Arrays.equals(s.doc(), doc)) {
            NodeDescriptor d = s.value();
            Roster.Entry e = entry.get();
            if (d.uid().equals(uid)
                    && d.networkId().equals(network)
                    && d.role() == e.role()
                    && d.identityFingerprint().equals(e.identityFingerprint())
                    && d.seq() >= lastSeq) {
                return Optional.of(d); // these bytes verified before, and still match the roster's entry
            }
        }
        CHECKS.incrementAndGet();
        Optional<NodeDescriptor> d = NodeDescriptor.verify(doc, nd, page, lastSeq)
                .filter(x -> x.uid().equals(uid) && entry.isPresent());
        if (d.isPresent()) {
            remember(MEMBERS, key, doc, d.get(), MAX_MEMBERS);
        }
        return d;
    }

    /** What a validly self-signed descriptor claims: its uid, role and identity fingerprint. */
    record Claim(String uid, Role role, String fingerprint) {}

    /**
     * The claim of a descriptor found in {@code uid}'s file, verified as validly self-signed for this
     * network (admitted or not) against {@code anyPage}, a page of the roster in force. A hit needs
     * the same bytes and a claimed uid that page does not list (the full check reads the roster
     * entry of a listed one).
     */
    static Claim selfSigned(byte[] doc, NetworkDescriptor nd, Roster anyPage, PartyId uid)
            throws DocumentRejectedException, IOException {
        Key key = new Key(nd.networkId().hex(), uid.value());
        Seen<Claim> s = PENDING.get(key);
        if (s != null
                && Arrays.equals(s.doc(), doc)
                && nd.networkId().equals(anyPage.networkId())
                && anyPage.entry(PartyId.of(s.value().uid())).isEmpty()) {
            return s.value();
        }
        CHECKS.incrementAndGet();
        NodeDescriptor.verify(doc, nd, anyPage, -1);
        // Signature and network checked by verify; read what the signed payload claims.
        JsonNode payload = JSON.readTree(
                Base64.getUrlDecoder().decode(JSON.readTree(doc).get("payload").asText()));
        Claim c = new Claim(
                payload.path("uid").asText(""),
                "heavy".equals(payload.path("role").asText()) ? Role.HEAVY : Role.LIGHT,
                Fingerprint.of(Base64.getUrlDecoder().decode(payload.path("idk").asText())));
        if (PartyId.isValid(c.uid())) {
            remember(PENDING, key, doc, c, MAX_PENDING);
        }
        return c;
    }

    private static <K, T> void remember(Map<K, Seen<T>> map, K key, byte[] doc, T value, int bound) {
        if (map.size() >= bound && !map.containsKey(key)) {
            map.clear();
        }
        map.put(key, new Seen<>(doc.clone(), value));
    }

    /** Signature verifications made in this process so far (hits make none): the tests' seam. */
    static long signatureChecks() {
        return CHECKS.get();
    }
}
