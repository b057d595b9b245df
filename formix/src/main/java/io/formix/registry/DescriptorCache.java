package io.formix.registry;

import io.formix.transport.PartyId;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.Roster;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node descriptors of this process verified once per content. A host syncs its registry every few
 * seconds while the folder changes and reads every member's descriptor (and every pending one) at
 * each sync; an Ed25519 verification per document per sync cost a 10,000-node host 35 s of CPU.
 * A document is known here by the SHA-256 of its bytes: the same bytes verify the same way, so
 * only what depends on the roster in force (listed, same identity fingerprint and role, the
 * network, a sequence not below the accepted one) is checked again; anything else (new bytes, a
 * check that fails) goes through the full verification, which gives the same result or the same
 * reason. Bounded: past {@value #MAX_ENTRIES} documents the cache starts over. Thread-safe.
 */
final class DescriptorCache {

    static final int MAX_ENTRIES = 200_000;

    /** Digest of a member's descriptor → what its verification gave. */
    private static final Map<String, NodeDescriptor> VERIFIED = new ConcurrentHashMap<>();
    /** Digest of a descriptor found validly self-signed → the network it was checked for. */
    private static final Map<String, NetworkId> SELF_SIGNED = new ConcurrentHashMap<>();

    private static final AtomicLong FULL = new AtomicLong();

    private DescriptorCache() {}

    /** The descriptor {@code doc} verified before, if it still holds against {@code uid}'s roster entry. */
    static Optional<NodeDescriptor> known(
            String digest, NetworkId network, Optional<Roster.Entry> entry, PartyId uid, long lastSeq) {
        NodeDescriptor d = VERIFIED.get(digest);
        if (d == null || entry.isEmpty()) {
            return Optional.empty();
        }
        Roster.Entry e = entry.get();
        boolean holds = d.uid().equals(uid)
                && d.networkId().equals(network)
                && d.role() == e.role()
                && d.identityFingerprint().equals(e.identityFingerprint())
                && d.seq() >= lastSeq;
        return holds ? Optional.of(d) : Optional.empty();
    }

    static void verified(String digest, NodeDescriptor d) {
        FULL.incrementAndGet();
        if (VERIFIED.size() >= MAX_ENTRIES) {
            VERIFIED.clear();
        }
        VERIFIED.put(digest, d);
    }

    static boolean knownSelfSigned(String digest, NetworkId network) {
        return network.equals(SELF_SIGNED.get(digest));
    }

    static void selfSigned(String digest, NetworkId network) {
        FULL.incrementAndGet();
        if (SELF_SIGNED.size() >= MAX_ENTRIES) {
            SELF_SIGNED.clear();
        }
        SELF_SIGNED.put(digest, network);
    }

    /** Full verifications that succeeded in this process so far; tests use it to prove the reuse. */
    static long fullVerifications() {
        return FULL.get();
    }

    /** The SHA-256 of {@code doc}, in hex. */
    static String digest(byte[] doc) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(doc));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
