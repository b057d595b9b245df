package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.protocol.Envelope;
import io.formix.state.FormixHome;
import io.formix.state.LightStorePool;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's ticker, one tick at a time: a node's refused messages are published on the tick after
 * they came (and looked for only then), and a light node is asked for ticks only from when it said
 * it may want one until it no longer may, and ticked exactly when it wants a tick.
 */
@Timeout(30)
class HostTickerTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;

    /** A light-like node that counts its ticks and wants one when told. */
    static final class Probe extends Node {
        final AtomicInteger ticks = new AtomicInteger();
        final AtomicInteger asked = new AtomicInteger();
        volatile CountDownLatch ticked = new CountDownLatch(1);
        volatile boolean wants;
        volatile boolean may = true;

        Probe(PartyId uid, NodeLog log, HostServices services) throws Exception {
            super(uid, log, new InMemoryNetwork().open(uid), services);
        }

        @Override
        void onMessage(Envelope e) {}

        @Override
        void tick() {
            ticks.incrementAndGet();
            ticked.countDown();
        }

        @Override
        boolean wantsTick(long now) {
            asked.incrementAndGet();
            return wants;
        }

        @Override
        boolean mayWantTick() {
            return may;
        }

        @Override
        void resume() {}

        @Override
        void closeStore() {}
    }

    @Test
    void refusalsArePublishedOnTheNextTickAndLightsTickedWhenTheyWantIt() throws Exception {
        FormixHome home = FormixHome.of(dir);
        ExecutorService senders = Executors.newSingleThreadExecutor();
        try (NetworkDb net = NetworkDb.open(home)) {
            HostServices services = TestHostServices.fixedAt(home, net, T0.toEpochMilli(), senders);
            Map<PartyId, NodeHost.Running> nodes = new ConcurrentHashMap<>();
            HostTicker ticker = new HostTicker(
                    services,
                    nodes,
                    new HostStops(services, 1, Duration.ofMillis(50)),
                    LightStorePool.sqlite(4, LightStorePool.DEFAULT_IDLE_MS, () -> T0.toEpochMilli()),
                    Executors.defaultThreadFactory(),
                    Executors.defaultThreadFactory());
            PartyId uid = PartyId.of("light-0001");
            Path nodeDir = home.nodeDir(uid);
            Files.createDirectories(nodeDir);
            Probe quiet =
                    new Probe(PartyId.of("light-0002"), new NodeLog(dir.resolve("q.log"), services.clock()), services);
            Probe probe = new Probe(uid, new NodeLog(dir.resolve("p.log"), services.clock()), services);
            probe.rejections = ticker.rejections();
            quiet.rejections = ticker.rejections();
            nodes.put(quiet.uid, new NodeHost.Running(quiet, null));
            nodes.put(uid, new NodeHost.Running(probe, null));
            try {
                ticker.tick();
                assertFalse(Files.exists(nodeDir.resolve(Rejections.FILE)), "nothing refused: nothing written");
                assertEquals(0, probe.ticks.get() + quiet.ticks.get(), "no light wanted a tick");

                probe.rejections.record(PartyId.of("intruder"), "seal", "bad signature", T0);
                ticker.tick();
                assertEquals(1, Rejections.read(nodeDir).size(), "published on the next tick");
                assertFalse(probe.rejections.changed());
                assertFalse(Files.exists(home.nodeDir(quiet.uid).resolve(Rejections.FILE)));

                probe.rejections.record(PartyId.of("intruder2"), "seal", "bad signature", T0);
                ticker.tick();
                assertEquals(2, Rejections.read(nodeDir).size(), "a later refusal is published as well");

                probe.wants = true;
                ticker.tick();
                assertEquals(0, probe.asked.get() + quiet.asked.get(), "no light said it may want ticks: none asked");
                probe.tickWanted = ticker.tickWanted(probe);
                quiet.tickWanted = ticker.tickWanted(quiet);
                probe.tickWanted.run();
                quiet.tickWanted.run();
                ticker.tick();
                assertTrue(probe.ticked.await(10, TimeUnit.SECONDS), "a light that wants a tick gets one");
                assertEquals(0, quiet.ticks.get(), "one that does not, none");
                assertEquals(1, quiet.asked.get());

                quiet.may = false;
                ticker.tick();
                ticker.tick();
                assertEquals(1, quiet.asked.get(), "no longer asked once it may not want a tick");
                quiet.may = true;
                quiet.tickWanted.run();
                ticker.tick();
                assertEquals(2, quiet.asked.get(), "asked again once it says so");

                int asked = probe.asked.get();
                probe.requestStop();
                ticker.tick();
                ticker.tick();
                assertEquals(asked, probe.asked.get(), "a stopping node is no longer asked");
            } finally {
                ticker.stop();
                ticker.shutdownLightTicks();
            }
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void aLightNodeAsksForTicksWhenItsCoreStartsWatching() throws Exception {
        FormixHome home = FormixHome.of(dir);
        ExecutorService senders = Executors.newSingleThreadExecutor();
        try (NetworkDb net = NetworkDb.open(home)) {
            net.createNodes(io.formix.state.NodeRecord.Role.HEAVY, 3, Approval.AUTO, 1);
            HostServices services =
                    new HostServices(home, net, new Registry(net), Clock.systemUTC(), new SecureRandom(), senders);
            PartyId me = LightCoreTest.ME;
            LightNode light = new LightNode(
                    me,
                    new NodeLog(dir.resolve("light.log"), services.clock()),
                    new InMemoryNetwork().open(me),
                    services,
                    io.formix.state.LightStore.inMemory(),
                    Approval.MANUAL);
            AtomicInteger told = new AtomicInteger();
            light.tickWanted = told::incrementAndGet;
            assertFalse(light.mayWantTick(), "nothing pending: no tick wanted");
            synchronized (light) {
                light.onMessage(LightCoreTest.compute(
                        HeavyCoreTest.H1,
                        io.formix.protocol.ResponseSchema.DEFAULT,
                        System.currentTimeMillis() + 60_000));
            }
            assertTrue(light.mayWantTick(), "waiting for its owner: it polls from its ticks");
            assertTrue(told.get() >= 1, "and told the host so");
            light.closeStore();
        } finally {
            senders.shutdownNow();
        }
    }
}
