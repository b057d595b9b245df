package io.formix.transport.seal;

import io.formix.transport.PartyId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small network for tests: an admin, nodes {@code a}, {@code b}, {@code c} with in-memory keys
 * valid for 30 days from {@link #T0} (or another base), their verified descriptors and a key directory over them.
 */
final class Fixture {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final PartyId C = PartyId.of("c");

    final IdentityKey admin = IdentityKey.generate();
    final NetworkDescriptor network = NetworkDescriptor.create(admin, "file-v1");
    final NetworkId net = network.networkId();
    final TestClock clock;
    final Map<PartyId, NodeKeys> keys = new LinkedHashMap<>();
    final Map<PartyId, NodeDescriptor> descriptors = new LinkedHashMap<>();

    Fixture() {
        this(T0);
    }

    /** Keys valid from a day before {@code base} to 30 days after; the clock stands at {@code base}. */
    Fixture(Instant base) {
        clock = new TestClock(base);
        for (PartyId p : List.of(A, B, C)) {
            keys.put(p, NodeKeys.inMemory(base.minus(Duration.ofDays(1)), base.plus(Duration.ofDays(30))));
        }
        refreshDescriptors();
    }

    /** Rebuilds each node's descriptor from its current keys. */
    void refreshDescriptors() {
        for (Map.Entry<PartyId, NodeKeys> e : keys.entrySet()) {
            descriptors.put(
                    e.getKey(),
                    NodeDescriptor.of(
                            net, e.getKey(), e.getKey().equals(A) ? Role.LIGHT : Role.HEAVY, 1, e.getValue()));
        }
    }

    Roster roster(long version) {
        List<Roster.Entry> entries = new ArrayList<>();
        for (NodeDescriptor d : descriptors.values()) {
            entries.add(new Roster.Entry(d.uid(), d.role(), d.identityFingerprint()));
        }
        return Roster.of(net, version, entries);
    }

    /** A directory that always reflects {@link #descriptors} as they are now. */
    KeyDirectory directory() {
        return uid -> java.util.Optional.ofNullable(descriptors.get(uid));
    }

    Sealer sealer(PartyId self) {
        return new Sealer(net, self, keys.get(self).identity(), directory(), clock, 0);
    }

    Opener opener(PartyId self) {
        return new Opener(net, self, keys.get(self), directory(), clock, Duration.ofHours(1), 1 << 20);
    }
}
