package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.FormixHome;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.State;
import io.formix.state.NetworkDb;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A heavy node's tick reads its open computations inside the tick's one transaction, not in another. */
@Timeout(30)
class HeavyNodeTickTest {

    private static final PartyId H1 = PartyId.of("heavy-1");
    private static final List<PartyId> HEAVY = List.of(H1, PartyId.of("heavy-2"), PartyId.of("heavy-3"));
    private static final long NOW = 1_000_000;

    @TempDir
    Path dir;

    /** How the node used its store. */
    static final class Uses {
        final AtomicInteger transactions = new AtomicInteger();
        final AtomicInteger readsOutside = new AtomicInteger();
        int depth;
    }

    /** {@code inner}, counting transactions and the reads of entries made outside one. */
    static HeavyStore counting(HeavyStore inner, Uses uses) {
        return (HeavyStore) Proxy.newProxyInstance(
                HeavyStore.class.getClassLoader(), new Class<?>[] {HeavyStore.class}, (p, m, args) -> {
                    String name = m.getName();
                    if (name.equals("inTransaction")) {
                        uses.transactions.incrementAndGet();
                        uses.depth++;
                    } else if ((name.equals("open") || name.equals("entry") || name.equals("all")) && uses.depth == 0) {
                        uses.readsOutside.incrementAndGet();
                    }
                    try {
                        return m.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (name.equals("inTransaction")) {
                            uses.depth--;
                        }
                    }
                });
    }

    @Test
    void aTickIsOneTransactionThatAlsoLearnsTheNextDeadline() throws Exception {
        FormixHome home = FormixHome.of(dir);
        Uses uses = new Uses();
        HeavyStore store = counting(HeavyStore.inMemory(), uses);
        long deadline = NOW + 5_000;
        store.create(
                new Entry(
                        "c1",
                        2,
                        "q",
                        "{\"type\":\"integer\"}",
                        "additive-3",
                        1,
                        deadline,
                        50,
                        HEAVY,
                        Set.of(PartyId.of("light-0001")),
                        State.COLLECTING,
                        null,
                        null),
                NOW);
        ExecutorService senders = Executors.newSingleThreadExecutor();
        try (NetworkDb net = NetworkDb.open(home)) {
            HostServices services = TestHostServices.fixedAt(home, net, NOW, senders);
            HeavyNode node = new HeavyNode(
                    HEAVY.get(1),
                    new NodeLog(dir.resolve("node.log"), services.clock()),
                    new InMemoryNetwork().open(HEAVY.get(1)),
                    services,
                    store);
            assertFalse(node.hasIdleWork(deadline), "no deadline known before the first tick");
            node.tick();
            node.drain();
            assertEquals(1, uses.transactions.get(), "one transaction per tick");
            assertEquals(0, uses.readsOutside.get(), "no read of the computations outside it");
            assertTrue(node.hasIdleWork(deadline), "the deadline of the computation collecting is known");
            assertFalse(node.hasIdleWork(deadline - 1));
            node.closeStore();
        } finally {
            senders.shutdownNow();
        }
    }
}
