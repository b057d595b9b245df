package io.formix.service;

import io.formix.registry.RosterPages;
import io.formix.state.NetworkPin;
import java.util.List;
import java.util.Map;

/** The views of the {@code network} operations. */
public final class NetworkViews {

    private NetworkViews() {}

    /** The network a home belongs to ({@code network create/join --json}). */
    public record Pin(String fingerprint, String network, String tag) {
        static Pin of(NetworkPin pin) {
            return new Pin(pin.adminFingerprint(), pin.networkId(), pin.tag());
        }
    }

    /** The network in {@code network status --json}: the pin and the roster version accepted. */
    public record Network(String fingerprint, String network, String tag, long rosterVersion) {
        static Network of(NetworkPin pin) {
            return new Network(
                    pin.adminFingerprint(), pin.networkId(), pin.tag(), RosterPages.versionOf(pin.rosterVersion()));
        }
    }

    /** A node descriptor seen in the folder but not admitted yet. */
    public record Pending(String uid, String role, String fingerprint) {}

    /** What {@code network admit} did. */
    public record Admitted(List<String> admitted, long rosterVersion) {}

    /**
     * {@code network status --json}: node counts by role and status, computation counts by
     * status (both sorted by name), and the network if this home belongs to one.
     */
    public record Status(
            String home,
            String dataDir,
            String transport,
            Map<String, Map<String, Integer>> nodes,
            Map<String, Integer> computations,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Network network) {}

    /** What {@code formix init} did. */
    public record Init(String home, String dataDir, List<String> movedAside) {}

    /** What {@code node rotate-key} did. */
    public record Rotation(String uid, String kid, long seq, List<PreviousKey> previous) {}

    /** An older key of a rotated node and when it stops opening messages (ISO-8601). */
    public record PreviousKey(String kid, String expiresAt) {}
}
