package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Counter files stay open in one pool for the whole JVM: descriptors do not grow with parties. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StateFilesPoolTest {

    @Test
    void aThousandPartiesShareOneBoundedPoolAndEveryValueSticks(@TempDir Path dir) throws Exception {
        List<StateFiles> parties = new ArrayList<>();
        try {
            for (int p = 0; p < 1_000; p++) {
                StateFiles s = new StateFiles(false);
                parties.add(s);
                Path party = Files.createDirectories(dir.resolve("p" + p));
                s.write(party.resolve("cursor"), p);
                s.write(party.resolve("next"), p + 1);
                s.write(party.resolve("cursor"), p + 2); // rewritten in place, possibly reopened
            }
            assertTrue(StateFiles.pooled() <= StateFiles.POOL_SIZE, "pool holds " + StateFiles.pooled());
            for (int p = 0; p < 1_000; p++) {
                Path party = dir.resolve("p" + p);
                assertEquals(OptionalLong.of(p + 2), StateFiles.read(party.resolve("cursor")));
                assertEquals(OptionalLong.of(p + 1), StateFiles.read(party.resolve("next")));
            }
        } finally {
            for (StateFiles s : parties) {
                s.close();
            }
        }
        assertEquals(0, StateFiles.pooled(), "closing every party empties the pool");
    }

    @Test
    void partiesWritingAtOnceThroughEvictionsLoseNoValue(@TempDir Path dir) throws Exception {
        int threads = 8;
        int partiesEach = 100; // 800 parties × 3 files: far more than the pool, so evictions hit writes in flight
        List<StateFiles> all = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<StateFiles> mine = new ArrayList<>();
                for (int p = 0; p < partiesEach; p++) {
                    mine.add(new StateFiles(false));
                }
                all.addAll(mine);
                Path base = Files.createDirectories(dir.resolve("t" + t));
                done.add(pool.submit(() -> {
                    for (int round = 1; round <= 20; round++) {
                        for (int p = 0; p < mine.size(); p++) {
                            for (int f = 0; f < 3; f++) {
                                mine.get(p).write(base.resolve(p + "-" + f), round * 10L + f);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertTrue(StateFiles.pooled() <= StateFiles.POOL_SIZE);
            for (int t = 0; t < threads; t++) {
                for (int p = 0; p < partiesEach; p++) {
                    for (int f = 0; f < 3; f++) {
                        assertEquals(
                                OptionalLong.of(200L + f),
                                StateFiles.read(dir.resolve("t" + t).resolve(p + "-" + f)));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            for (StateFiles s : all) {
                s.close();
            }
        }
    }

    @Test
    void aClosedPartyLeavesOthersOpenAndStillWritesWhatRacesItsClose(@TempDir Path dir) throws Exception {
        try (StateFiles a = new StateFiles(false);
                StateFiles b = new StateFiles(false)) {
            a.write(dir.resolve("a"), 1);
            b.write(dir.resolve("b"), 2);
            int before = StateFiles.pooled();
            a.close();
            assertEquals(before - 1, StateFiles.pooled(), "only a's file left the pool");
            a.write(dir.resolve("a"), 3); // after close: written, not kept open
            assertEquals(before - 1, StateFiles.pooled());
            assertEquals(OptionalLong.of(3), StateFiles.read(dir.resolve("a")));
            b.write(dir.resolve("b"), 4);
            assertEquals(OptionalLong.of(4), StateFiles.read(dir.resolve("b")));
        }
    }
}
