package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
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
