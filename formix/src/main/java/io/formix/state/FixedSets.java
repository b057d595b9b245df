package io.formix.state;

import io.formix.transport.PartyId;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The sets of node uids a {@link HeavyStore.Entry} holds (its invited lights, its final set):
 * sorted and unmodifiable, so that a store can hand the same set to every entry it reads of a
 * computation, and no caller's change reaches another entry.
 */
final class FixedSets {

    private static final Class<?> FIXED =
            Collections.unmodifiableSortedSet(new TreeSet<PartyId>()).getClass();

    private FixedSets() {}

    /**
     * {@code ids} as a sorted unmodifiable set: an unmodifiable sorted view is kept as it is (no
     * copy, so an entry rebuilt from another costs nothing); any other set is copied.
     */
    static Set<PartyId> of(Set<PartyId> ids) {
        if (java.util.Objects.requireNonNull(ids, "a set of node uids").getClass() == FIXED) {
            return ids;
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(ids));
    }

    /** The comma-joined uids of a store row ({@link StoreFiles#join}) as a fixed set. */
    static SortedSet<PartyId> parse(String text) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(StoreFiles.split(text)));
    }
}
