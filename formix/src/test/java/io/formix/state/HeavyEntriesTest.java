package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A computation's invited lights (and its final set) are parsed from the row once while it is open,
 * and every entry read after shares that one unmodifiable set; they stay right across a rolled-back
 * transaction and a reopen of the store.
 */
@Timeout(30)
class HeavyEntriesTest {

    private static final PartyId L1 = PartyId.of("light-0001");
    private static final PartyId L2 = PartyId.of("light-0002");
    private static final PartyId L3 = PartyId.of("light-0003");
    private static final PartyId H2 = PartyId.of("heavy-2");
    private static final List<PartyId> HEAVY = List.of(PartyId.of("heavy-1"), H2, PartyId.of("heavy-3"));

    @TempDir
    Path home;

    private SqliteHeavyStore sqlite() {
        return (SqliteHeavyStore) HeavyStore.open(FormixHome.of(home), H2);
    }

    static Stream<String> kinds() {
        return Stream.of("memory", "sqlite");
    }

    private HeavyStore open(String kind) {
        return kind.equals("memory") ? HeavyStore.inMemory() : sqlite();
    }

    private static Entry entry(String id, Set<PartyId> invited) {
        return new Entry(
                id,
                2,
                "q",
                "{\"type\":\"integer\"}",
                "additive-3",
                1,
                1000,
                50,
                HEAVY,
                invited,
                State.COLLECTING,
                null,
                null);
    }

    @Test
    void anEntryReadAgainParsesNoInvitedTextAndSharesTheSet() {
        try (SqliteHeavyStore s = sqlite()) {
            assertTrue(s.create(entry("c1", new TreeSet<>(List.of(L2, L1))), 1));
            Entry first = s.entry("c1").orElseThrow();
            assertEquals(List.of(L1, L2), new ArrayList<>(first.invited()), "sorted, as the row's text gives it");
            assertEquals(1, s.parsedSets());
            Entry again = s.entry("c1").orElseThrow();
            Entry listed = s.open().get(0);
            Entry all = s.all().get(0);
            assertEquals(first, again);
            assertSame(first.invited(), again.invited());
            assertSame(first.invited(), listed.invited());
            assertSame(first.invited(), all.invited());
            assertEquals(1, s.parsedSets(), "read three more times, parsed once");

            assertTrue(s.transition("c1", State.COLLECTING, State.CLOSED, 2));
            assertTrue(s.fixFinalSet("c1", Set.of(L1)));
            Entry aggregating = s.entry("c1").orElseThrow();
            assertEquals(Set.of(L1), aggregating.finalSet());
            assertSame(aggregating.finalSet(), s.open().get(0).finalSet());
            assertSame(first.invited(), aggregating.invited());
            assertEquals(2, s.parsedSets(), "the final set once, the invited list not again");
        }
    }

    @Test
    void aReopenedStoreReadsTheSetsFromTheRow() {
        try (SqliteHeavyStore s = sqlite()) {
            s.create(entry("c1", Set.of(L1, L2, L3)), 1);
            s.entry("c1").orElseThrow();
            s.transition("c1", State.COLLECTING, State.CLOSED, 2);
            s.fixFinalSet("c1", Set.of(L2, L3));
        }
        try (SqliteHeavyStore s = sqlite()) {
            Entry e = s.entry("c1").orElseThrow();
            assertEquals(Set.of(L1, L2, L3), e.invited());
            assertEquals(Set.of(L2, L3), e.finalSet());
            assertEquals(2, s.parsedSets());
        }
    }

    @Test
    void aRolledBackInsertOrFinalSetLeavesNoStaleSetBehind() {
        try (SqliteHeavyStore s = sqlite()) {
            assertThrows(
                    IllegalStateException.class,
                    () -> s.inTransaction(() -> {
                        s.create(entry("c1", Set.of(L1)), 1);
                        assertEquals(Set.of(L1), s.entry("c1").orElseThrow().invited());
                        throw new IllegalStateException("refused");
                    }));
            assertTrue(s.entry("c1").isEmpty());
            assertTrue(s.create(entry("c1", Set.of(L2, L3)), 2));
            assertEquals(Set.of(L2, L3), s.entry("c1").orElseThrow().invited());

            s.transition("c1", State.COLLECTING, State.CLOSED, 3);
            assertThrows(
                    IllegalStateException.class,
                    () -> s.inTransaction(() -> {
                        s.fixFinalSet("c1", Set.of(L2));
                        assertEquals(Set.of(L2), s.entry("c1").orElseThrow().finalSet());
                        throw new IllegalStateException("refused");
                    }));
            assertNull(s.entry("c1").orElseThrow().finalSet());
            assertTrue(s.fixFinalSet("c1", Set.of(L3)));
            assertEquals(Set.of(L3), s.entry("c1").orElseThrow().finalSet());
        }
    }

    @Test
    void anEndedComputationIsNoLongerKeptButStillReadRight() {
        try (SqliteHeavyStore s = sqlite()) {
            s.create(entry("c1", Set.of(L1, L2)), 1);
            s.entry("c1").orElseThrow();
            assertTrue(s.finish("c1", State.FAILED, "test"));
            assertEquals(Set.of(L1, L2), s.entry("c1").orElseThrow().invited(), "the first read after drops it");
            long before = s.parsedSets();
            assertEquals(Set.of(L1, L2), s.entry("c1").orElseThrow().invited());
            assertEquals(Set.of(L1, L2), s.entry("c1").orElseThrow().invited());
            assertEquals(before + 2, s.parsedSets(), "read from its row each time: nothing kept of it");
        }
    }

    @Test
    void theSetsKeptAreBounded() {
        try (SqliteHeavyStore s = sqlite()) {
            for (int i = 0; i <= HeavyEntries.MAX_KEPT; i++) {
                s.create(entry("c" + i, Set.of(L1)), i);
            }
            assertEquals(HeavyEntries.MAX_KEPT + 1, s.open().size());
            long before = s.parsedSets();
            assertEquals(HeavyEntries.MAX_KEPT + 1, s.open().size());
            assertTrue(s.parsedSets() > before, "past the bound, some are read from their rows again");
            assertEquals(Set.of(L1), s.entry("c0").orElseThrow().invited());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anEntrysSetsCannotBeChangedByACaller(String kind) {
        try (HeavyStore s = open(kind)) {
            TreeSet<PartyId> mine = new TreeSet<>(List.of(L1, L2));
            s.create(entry("c1", mine), 1);
            mine.add(L3); // the caller's own set stays its own
            Entry e = s.entry("c1").orElseThrow();
            assertEquals(Set.of(L1, L2), e.invited());
            assertThrows(UnsupportedOperationException.class, () -> e.invited().add(L3));
            assertThrows(UnsupportedOperationException.class, () -> e.invited().remove(L1));
            s.transition("c1", State.COLLECTING, State.CLOSED, 2);
            s.fixFinalSet("c1", Set.of(L1));
            Entry f = s.entry("c1").orElseThrow();
            assertThrows(UnsupportedOperationException.class, () -> f.finalSet().clear());
            assertEquals(Set.of(L1, L2), s.entry("c1").orElseThrow().invited());
            assertEquals(Set.of(), entry("c2", Set.of()).invited(), "no light invited: an empty set");
        }
    }
}
