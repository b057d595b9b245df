package io.formix.registry;

import io.formix.state.FormixHome;
import io.formix.state.NetworkPin;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Roster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signed heartbeats of running heavy nodes ({@code <data-dir>/formix/alive/<uid>.json}), so other
 * hosts can tell a heavy node that runs from one that does not. A heartbeat is the node's
 * descriptor signed again by its identity key with {@code seq} = the time in seconds: the same
 * signed format, verified against the roster like any descriptor, and a copy replayed later only
 * shows an old time. Light nodes publish none (a thousand of them would keep the sync busy for
 * nothing a proposer needs). Only the home of a node writes its heartbeat.
 */
public final class Heartbeats {

    /** How often a host renews its heavy nodes' heartbeats. */
    public static final Duration EVERY = Duration.ofSeconds(30);
    /** A heartbeat younger than this (by the reader's clock) says the node runs. */
    public static final Duration FRESH = Duration.ofSeconds(90);

    private Heartbeats() {}

    static Path file(FormixHome home, PartyId uid) {
        return home.sharedDir().resolve("alive").resolve(uid.value() + ".json");
    }

    /** Publishes {@code uid}'s heartbeat for {@code now}. */
    public static void publish(FormixHome home, NetworkPin pin, PartyId uid, NodeKeys keys, Instant now)
            throws IOException {
        NodeDescriptor d = NodeDescriptor.of(
                NetworkId.fromHex(pin.networkId()), uid, Role.HEAVY, Math.max(0, now.getEpochSecond()), keys);
        SharedFiles.write(file(home, uid), d.sign(keys.identity()));
    }

    /** Removes {@code uid}'s heartbeat (the node stopped). */
    public static void withdraw(FormixHome home, PartyId uid) throws IOException {
        Files.deleteIfExists(file(home, uid));
    }

    /** The verified heartbeat time of each heavy node of {@code roster} that has one. */
    public static Map<PartyId, Instant> read(FormixHome home, NetworkDescriptor network, RosterPages roster) {
        Map<PartyId, Instant> out = new HashMap<>();
        if (network == null || roster == null) {
            return out;
        }
        for (Roster.Entry e : roster.entries()) {
            if (e.role() != Role.HEAVY) {
                continue;
            }
            try {
                Optional<byte[]> doc = SharedFiles.read(file(home, e.uid()));
                if (doc.isPresent()) {
                    roster.verify(doc.get(), network, e.uid(), -1)
                            .ifPresent(d -> out.put(e.uid(), Instant.ofEpochSecond(d.seq())));
                }
            } catch (IOException | DocumentRejectedException ignored) {
                // no valid heartbeat: the node is not shown as running
            }
        }
        return out;
    }

    /** Whether a heartbeat at {@code at} is fresh at {@code now}. */
    public static boolean fresh(Instant at, Instant now) {
        return at != null && !at.isBefore(now.minus(FRESH));
    }
}
