package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared root index at the scale of a real host: 3 heavy and 1,000 light parties open on one
 * root, then a burst of 6,000 channel folders appears at once (every light writes to every heavy
 * and back) while the event dispatch is held up, so the kernel's event queue overflows for certain.
 * The periodic rescan is set to an hour, so every channel must be found through the events and the
 * relisting after the lost events, not by a later rescan. An earlier shared index that rate-limited
 * that relisting lost hundreds of channels in such a burst.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RootIndexBurstTest {

    static final int HEAVY = 3;
    static final int LIGHT = 1_000;
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void everyChannelOfABurstAfterAThousandOpensIsFoundWithoutTheRescan(@TempDir Path root) throws Exception {
        List<FileTransport> heavies = new ArrayList<>();
        List<FileTransport> lights = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int h = 0; h < HEAVY; h++) {
                heavies.add(open(root, "heavy-" + h));
            }
            for (int l = 0; l < LIGHT; l++) {
                lights.add(open(root, "light-" + l));
            }
            assertTrue(RootIndex.listings(root) <= 2, "opens share the root listing: " + RootIndex.listings(root));
            // A slow consumer on the dispatch thread (the contract forbids it; here it forces an overflow).
            RootIndex index = RootIndex.acquire(root, null);
            CountDownLatch burstDone = new CountDownLatch(1);
            PartyId stalled = PartyId.of("heavy-0");
            RootIndex.Subscriber stall = new RootIndex.Subscriber() {
                @Override
                public void channelsChanged() {
                    try {
                        burstDone.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void everythingChanged() {}
            };
            index.subscribe(stalled, stall);

            List<Future<?>> burst = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                burst.add(pool.submit(() -> {
                    for (int l = first; l < LIGHT; l += 4) {
                        for (int h = 0; h < HEAVY; h++) {
                            lights.get(l).send(heavies.get(h).self(), numbered(l, 16));
                            heavies.get(h).send(lights.get(l).self(), numbered(h, 16));
                        }
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> f : burst) {
                    f.get();
                }
            } finally {
                index.unsubscribe(stalled, stall);
                burstDone.countDown();
            }

            for (FileTransport heavy : heavies) {
                Set<Integer> got = new HashSet<>();
                for (int i = 0; i < LIGHT; i++) {
                    Message m = heavy.receiveAny(WAIT)
                            .orElseThrow(() -> new AssertionError(
                                    heavy.self() + " found " + got.size() + " of " + LIGHT + " inbound channels"));
                    got.add(number(m.payload()));
                }
                assertEquals(LIGHT, got.size(), "each light once at " + heavy.self());
            }
            for (FileTransport light : lights) {
                Set<PartyId> from = new HashSet<>();
                for (int h = 0; h < HEAVY; h++) {
                    Message m = light.receiveAny(WAIT)
                            .orElseThrow(() -> new AssertionError(
                                    light.self() + " found " + from.size() + " of " + HEAVY + " inbound channels"));
                    from.add(m.from());
                }
                assertEquals(HEAVY, from.size(), "each heavy once at " + light.self());
            }
            assertTrue(index.gaps() > 0, "the burst overflowed the event queue");
            index.release();
        } finally {
            pool.shutdownNow();
            for (FileTransport t : heavies) {
                t.close();
            }
            for (FileTransport t : lights) {
                t.close();
            }
        }
    }

    private static FileTransport open(Path root, String id) throws Exception {
        return FileTransport.builder(root, PartyId.of(id))
                .rescanInterval(Duration.ofHours(1))
                .open();
    }
}
