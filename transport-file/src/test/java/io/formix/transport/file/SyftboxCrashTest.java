package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child processes killed with SIGKILL in the SyftBox layout: the receiver acknowledges by
 * file instead of deleting, and still processes everything exactly once (at most the one
 * documented redelivery per kill); the sender then deletes everything acknowledged.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyftboxCrashTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");

    @TempDir
    Path dir;

    @TempDir
    Path logs;

    Path datasites() {
        return dir.resolve("datasites");
    }

    FileTransport sender() throws Exception {
        return FileTransport.builder(dir.resolve("local"), A)
                .layout(ChannelLayout.syftbox(
                        datasites(), "a@crash.test", Map.of(A, "a@crash.test", B, "b@crash.test")))
                .open();
    }

    Child receiver(Path log, int total) throws Exception {
        return Child.start(
                Map.of(ChildMain.SYFTBOX_ENV, datasites().toString()),
                logs,
                "receive",
                dir.resolve("local").toString(),
                "b",
                "a",
                "" + total,
                log.toString());
    }

    @Test
    void receiverKilledMidStreamProcessesEverythingExactlyOnceAndTheSenderCleansUp() throws Exception {
        int total = 1500;
        Path log = logs.resolve("processed.log");
        try (FileTransport a = sender()) {
            for (int i = 0; i < total / 2; i++) {
                a.send(B, TestFiles.numbered(i, 16));
            }
            try (Child c = receiver(log, total)) {
                awaitLines(log, 200, c);
                c.kill();
            }
            for (int i = total / 2; i < total; i++) {
                a.send(B, TestFiles.numbered(i, 16));
            }
            try (Child c = receiver(log, total)) {
                awaitLines(log, 900, c);
                c.kill();
            }
            try (Child c = receiver(log, total)) {
                assertEquals(0, c.waitFor(90), c.errors());
            }
            assertEquals(
                    total + "\n",
                    Files.readString(datasites().resolve("b@crash.test/app_data/formix/acks/a_to_b/ack.request")));
            a.send(B, TestFiles.numbered(total, 16)); // collects the acknowledgement
            Path out = datasites().resolve("a@crash.test/app_data/formix/a_to_b");
            List<String> left = TestFiles.names(out).stream()
                    .filter(n -> ChannelNames.Names.SYFTBOX.sequenceOf(n) >= 0)
                    .toList();
            assertEquals(
                    List.of(ChannelNames.Names.SYFTBOX.msg(total), ChannelNames.Names.SYFTBOX.ready(total)),
                    left,
                    "everything acknowledged was deleted by the sender");
        }
        List<String> processed = Files.readAllLines(log);
        assertEquals(total, processed.size());
        for (int i = 0; i < total; i++) {
            assertEquals(i + " " + i, processed.get(i), "line " + i + ": sequence and payload, once, in order");
        }
        Path dup = Path.of(log + ".dup");
        int redelivered = Files.exists(dup) ? Files.readAllLines(dup).size() : 0;
        assertTrue(redelivered <= 2, "at most one redelivery per kill, got " + redelivered);
        try (FileTransport b = FileTransport.builder(dir.resolve("local"), B)
                .layout(ChannelLayout.syftbox(
                        datasites(), "b@crash.test", Map.of(A, "a@crash.test", B, "b@crash.test")))
                .open()) {
            Message m = b.receive(A, Duration.ofSeconds(10)).orElseThrow();
            assertEquals(total, m.sequence(), "the next number, nothing before it again");
            assertFalse(b.receive(A, Duration.ofMillis(100)).isPresent());
        }
    }

    private static void awaitLines(Path log, int n, Child c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines(log) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("child did not get to " + n + " lines: " + c.errors());
            }
            Thread.sleep(20); // another process's progress: polled
        }
    }

    private static int lines(Path log) {
        try {
            return Files.exists(log) ? (int) Files.readAllLines(log).size() : 0;
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0; // a line being written
        }
    }
}
