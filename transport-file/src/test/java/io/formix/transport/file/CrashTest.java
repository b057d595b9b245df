package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes killed with SIGKILL, and the party lock across processes. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CrashTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");

    @TempDir
    Path root;

    @TempDir
    Path logs;

    @Test
    void receiverKilledMidStreamProcessesEverythingExactlyOnce() throws Exception {
        int total = 3000;
        Path log = logs.resolve("processed.log");
        try (FileTransport a = FileTransport.builder(root, A).open()) {
            for (int i = 0; i < total / 2; i++) {
                a.send(B, TestFiles.numbered(i, 16));
            }
            try (Child c = Child.start(logs, "receive", root.toString(), "b", "a", "" + total, log.toString())) {
                awaitTrue(() -> lines(log) >= 300, c);
                c.kill();
            }
            for (int i = total / 2; i < total; i++) {
                a.send(B, TestFiles.numbered(i, 16));
            }
            try (Child c = Child.start(logs, "receive", root.toString(), "b", "a", "" + total, log.toString())) {
                awaitTrue(() -> lines(log) >= 1800, c);
                c.kill();
            }
            try (Child c = Child.start(logs, "receive", root.toString(), "b", "a", "" + total, log.toString())) {
                assertEquals(0, c.waitFor(60), c.errors());
            }
        }
        List<String> processed = Files.readAllLines(log);
        assertEquals(total, processed.size());
        for (int i = 0; i < total; i++) {
            assertEquals(i + " " + i, processed.get(i), "line " + i + ": sequence and payload, once, in order");
        }
        Path dup = Path.of(log + ".dup");
        int redelivered = Files.exists(dup) ? Files.readAllLines(dup).size() : 0;
        assertTrue(redelivered <= 2, "at most one redelivery per kill, got " + redelivered);
        assertFalse(
                TestFiles.names(root.resolve("a_to_b")).stream().anyMatch(n -> ChannelNames.sequenceOf(n) >= 0),
                "everything acknowledged and deleted");
    }

    @Test
    void receiverKilledBeforeAcknowledgingGetsTheSameMessageOnceMore() throws Exception {
        try (FileTransport a = FileTransport.builder(root, A).open()) {
            a.send(B, TestFiles.numbered(100, 8));
            a.send(B, TestFiles.numbered(101, 8));
        }
        try (Child c = Child.start(logs, "receive-one", root.toString(), "b", "a")) {
            assertEquals("GOT 0 100", c.readLine(), c.errors());
            c.kill(); // before its next receive or close: not acknowledged
        }
        try (Child c = Child.start(logs, "receive-one", root.toString(), "b", "a")) {
            assertEquals("GOT 0 100", c.readLine(), "same message, same sequence; " + c.errors());
            c.process.getOutputStream().close(); // lets it close, which acknowledges
            assertEquals(0, c.waitFor(30), c.errors());
        }
        try (FileTransport b = FileTransport.builder(root, B).open()) {
            Message m = b.receive(A, Duration.ofSeconds(10)).orElseThrow();
            assertEquals(1, m.sequence(), "0 was acknowledged by the clean close: never again");
            assertTrue(b.receive(A, Duration.ofMillis(100)).isEmpty());
        }
    }

    @Test
    void senderKilledMidWriteLeavesNothingPartialAndNumberingContinues() throws Exception {
        Path ab = root.resolve("a_to_b");
        int size = 256 * 1024;
        for (int run = 0; run < 2; run++) {
            // Every committed message so far, marked or not: a kill between rename and marker leaves
            // one that the next run's recovery marks, and it must not count as that run's.
            int before = count(ab, ChannelNames.Kind.MSG);
            try (Child c = Child.start(logs, "send", root.toString(), "a", "b", "" + run, "400", "" + size)) {
                awaitTrue(() -> readies(ab) >= before + 10, c);
                c.kill();
            }
            // Right after the kill, before anyone cleans up: every visible .msg is complete.
            for (String name : TestFiles.names(ab)) {
                if (ChannelNames.kind(name) == ChannelNames.Kind.MSG) {
                    Path p = ab.resolve(name);
                    assertEquals(8 + headerLength(p), Files.size(p), name + " is partial");
                }
            }
        }
        try (FileTransport a = FileTransport.builder(root, A).open()) {
            assertFalse(TestFiles.names(ab).stream().anyMatch(ChannelNames::isTemp), "temp files cleaned at restart");
            for (String name : TestFiles.names(ab)) {
                if (ChannelNames.kind(name) == ChannelNames.Kind.MSG) {
                    long n = ChannelNames.sequenceOf(name);
                    assertTrue(Files.exists(ab.resolve(ChannelNames.ready(n))), "marker restored for " + n);
                }
            }
            for (int i = 0; i < 5; i++) {
                a.send(B, ChildMain.payload(2, i, 100));
            }
        }
        int published = readies(ab); // every complete message has its marker now
        try (FileTransport b =
                FileTransport.builder(root, B).maxMessageBytes(size).open()) {
            long expectedSeq = 0;
            int run = 0;
            int next = 0;
            int[] perRun = new int[3];
            for (int k = 0; k < published; k++) {
                Message msg = b.receive(A, Duration.ofSeconds(20))
                        .orElseThrow(() -> new AssertionError("a published message did not arrive"));
                assertEquals(expectedSeq++, msg.sequence(), "consecutive numbers, no gap, no reuse");
                assertTrue(ChildMain.intact(msg.payload()), "payload intact");
                ByteBuffer p = ByteBuffer.wrap(msg.payload());
                int r = p.getInt();
                int i = p.getInt();
                if (r != run) {
                    assertTrue(r > run, "runs in order");
                    run = r;
                    next = 0;
                }
                assertEquals(next++, i, "run " + r + " in order from 0");
                perRun[r]++;
            }
            assertEquals(Optional.empty(), b.receive(A, Duration.ofMillis(200)), "nothing beyond what was published");
            assertTrue(perRun[0] >= 10 && perRun[1] >= 10, "both killed runs delivered what they published");
            assertEquals(5, perRun[2]);
        }
    }

    @Test
    void secondProcessForTheSamePartyIsRefusedWithTheLockFileNamed() throws Exception {
        try (Child c = Child.start(logs, "hold", root.toString(), "b")) {
            assertEquals("OPEN", c.readLine(), c.errors());
            ChannelLockedException e = assertThrows(
                    ChannelLockedException.class,
                    () -> FileTransport.builder(root, B).open());
            assertTrue(e.getMessage().contains("b/party.lock"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + c.process.pid()), e.getMessage());
            // Another party on the same root is not affected.
            FileTransport.builder(root, A).open().close();
            c.kill();
        }
        // The OS released the dead process's lock.
        FileTransport.builder(root, B).open().close();
    }

    @Test
    void secondOpenInTheSameJvmIsRefusedUntilTheFirstCloses() throws Exception {
        FileTransport first = FileTransport.builder(root, B).open();
        ChannelLockedException e = assertThrows(
                ChannelLockedException.class,
                () -> FileTransport.builder(root, B).open());
        assertTrue(e.getMessage().contains("b/party.lock"), e.getMessage());
        // The same folder reached through a symbolic link.
        Path link = Files.createSymbolicLink(logs.resolve("link"), root);
        assertThrows(
                ChannelLockedException.class,
                () -> FileTransport.builder(link, B).open());
        first.close();
        FileTransport.builder(root, B).open().close();
    }

    private static long headerLength(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(8);
            ch.read(h, 0);
            return FrameCodec.getLength(h.array(), 0);
        }
    }

    private static int readies(Path dir) {
        return count(dir, ChannelNames.Kind.READY);
    }

    private static int count(Path dir, ChannelNames.Kind kind) {
        try {
            return (int) TestFiles.names(dir).stream()
                    .filter(n -> ChannelNames.kind(n) == kind)
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int lines(Path log) {
        try {
            if (!Files.exists(log)) {
                return 0;
            }
            try (java.util.stream.Stream<String> lines = Files.lines(log)) {
                return (int) lines.count();
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Child c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!c.process.isAlive()) {
                throw new AssertionError("child exited early (" + c.process.exitValue() + "): " + c.errors());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; child stderr: " + c.errors());
            }
            Thread.sleep(2); // polling a child process's progress; there is nothing to wait on
        }
    }
}
