package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RejectionsTest {

    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void refusalsAreCountedBySenderAndKindAndPublishedOnlyWhenChanged(@TempDir Path dir) throws Exception {
        Rejections r = new Rejections();
        r.publish(dir);
        assertFalse(Files.exists(dir.resolve(Rejections.FILE)), "nothing refused: no file");

        r.record(PartyId.of("intruder"), "seal", "at step SENDER: not in the roster", T0);
        r.record(PartyId.of("intruder"), "seal", "at step SIGNATURE: bad signature", T0.plusSeconds(1));
        r.record(PartyId.of("light-0001"), "protocol", "unknown computation", T0.plusSeconds(2));
        r.publish(dir);
        List<Map<String, Object>> read = Rejections.read(dir);
        assertEquals(2, read.size());
        assertEquals(
                Map.of(
                        "from",
                        "intruder",
                        "kind",
                        "seal",
                        "count",
                        2,
                        "lastReason",
                        "at step SIGNATURE: bad signature",
                        "last",
                        "2026-12-05T10:00:01Z"),
                read.get(0));
        assertEquals("light-0001", read.get(1).get("from"));
        assertEquals(3, r.total());

        Files.delete(dir.resolve(Rejections.FILE));
        r.publish(dir);
        assertFalse(Files.exists(dir.resolve(Rejections.FILE)), "unchanged: not written again");
    }

    @Test
    void aFloodOfSendersIsBoundedAndLongReasonsAreCut(@TempDir Path dir) throws Exception {
        Rejections r = new Rejections();
        for (int i = 0; i < Rejections.MAX_ENTRIES + 50; i++) {
            r.record(PartyId.of("p" + i), "seal", "x".repeat(1_000), T0);
        }
        r.publish(dir);
        List<Map<String, Object>> read = Rejections.read(dir);
        assertEquals(Rejections.MAX_ENTRIES + 1, read.size(), "the rest folded into one entry");
        Map<String, Object> others = read.get(read.size() - 1);
        assertEquals("others", others.get("from"));
        assertEquals(50, others.get("count"));
        assertTrue(((String) read.get(0).get("lastReason")).length() <= Rejections.MAX_REASON + 1);
        assertEquals(Rejections.MAX_ENTRIES + 50, r.total());
    }

    @Test
    void anUnreadableOrOversizedFileReadsAsNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(Rejections.FILE), "not json");
        assertEquals(List.of(), Rejections.read(dir));
        Files.delete(dir.resolve(Rejections.FILE));
        Files.createSymbolicLink(dir.resolve(Rejections.FILE), dir.resolve("elsewhere.json"));
        Files.writeString(dir.resolve("elsewhere.json"), "[{\"from\":\"x\"}]");
        assertEquals(List.of(), Rejections.read(dir), "a link is not followed");
    }

    @Test
    void theHostIsToldOfEveryRefusalAndOfAPublicationThatFailed(@TempDir Path dir) throws Exception {
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        Rejections r = new Rejections(told::incrementAndGet);
        NodeLog log = new NodeLog(dir.resolve("node.log"), java.time.Clock.systemUTC());
        r.record(PartyId.of("intruder"), "seal", "bad signature", T0);
        assertEquals(1, told.get());
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        r.publish(notAFolder, log);
        assertTrue(r.changed(), "kept for the next pass");
        assertEquals(2, told.get(), "and the host told again, so that it comes back");
        r.publish(dir, log);
        assertFalse(r.changed());
        assertEquals(1, Rejections.read(dir).size());
        assertEquals(2, told.get(), "a publication that worked tells nothing");
    }
}
