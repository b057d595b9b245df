package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Events wake receivers, the rescan covers for missed events, and idle channels cost nothing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeUpTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration NEVER = Duration.ofHours(1);

    final List<AutoCloseable> toClose = new ArrayList<>();

    <T extends AutoCloseable> T later(T c) {
        toClose.add(0, c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void anArrivalListenerHearsOfEachMessageSoNoReceiveNeedsToWait(@TempDir Path root) throws Exception {
        FileTransport a =
                later(FileTransport.builder(root, A).rescanInterval(NEVER).open());
        FileTransport b =
                later(FileTransport.builder(root, B).rescanInterval(NEVER).open());
        java.util.concurrent.Semaphore rings = new java.util.concurrent.Semaphore(0);
        b.onArrival(rings::release);
        for (int i = 0; i < 3; i++) {
            a.send(B, numbered(i, 8));
            // Only ever non-blocking receives, each after a ring: the message is found that way.
            Message m = null;
            while (m == null) {
                assertTrue(rings.tryAcquire(20, TimeUnit.SECONDS), "no ring for message " + i);
                m = b.receiveAny(Duration.ZERO).orElse(null);
            }
            assertEquals(i, number(m.payload()));
        }
        b.onArrival(null);
        rings.drainPermits();
        a.send(B, numbered(3, 8));
        assertEquals(3, number(b.receiveAny(WAIT).orElseThrow().payload()));
        assertEquals(0, rings.availablePermits(), "a removed listener hears nothing");
    }

    @Test
    void allTransportsOnAFileSystemShareOneWatcher() throws Exception {
        FileSystem fs = later(TestFiles.jimfs());
        Path root = fs.getPath("/r");
        List<FileTransport> ts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ts.add(FileTransport.builder(root, PartyId.ofPid(i)).open());
        }
        assertEquals(51, SharedWatcher.references(fs), "50 transports and their root's shared index");
        for (FileTransport t : ts) {
            t.close();
        }
        assertEquals(0, SharedWatcher.references(fs), "the last close releases the watch service");
    }

    @Test
    void twoHundredPartiesInOneProcessStayUnderTheInotifyInstanceLimit(@TempDir Path root) throws Exception {
        // Linux allows 128 inotify instances per user: one WatchService per transport would fail here.
        int n = 200;
        List<FileTransport> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(later(FileTransport.builder(root, PartyId.ofPid(i))
                    .rescanInterval(NEVER)
                    .open()));
        }
        for (int i = 0; i < n; i++) {
            ts.get(i).send(PartyId.ofPid((i + 1) % n), numbered(i, 8));
        }
        for (int i = 0; i < n; i++) {
            Message m = ts.get(i).receiveAny(WAIT).orElseThrow(() -> new AssertionError("nothing arrived"));
            int from = (i + n - 1) % n;
            assertEquals(PartyId.ofPid(from), m.from());
            assertEquals(from, number(m.payload()));
        }
    }

    @Test
    void inotifyWakesABlockedReceiverWithoutAnyRescan(@TempDir Path root) throws Exception {
        awakenedByEvents(root);
    }

    @Test
    void jimfsWatchEventsWakeABlockedReceiverWithoutAnyRescan() throws Exception {
        awakenedByEvents(later(TestFiles.jimfs()).getPath("/r"));
    }

    private void awakenedByEvents(Path root) throws Exception {
        FileTransport b =
                later(FileTransport.builder(root, B).rescanInterval(NEVER).open());
        ExecutorService ex = Executors.newSingleThreadExecutor();
        later(ex::shutdownNow);
        Future<Message> any = ex.submit(() -> b.receiveAny(WAIT).orElseThrow());
        // A channel folder created after b opened: discovered through the root's events.
        FileTransport c = later(FileTransport.builder(root, PartyId.of("c")).open());
        c.send(B, numbered(7, 8));
        Message m = any.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(PartyId.of("c"), m.from());
        Future<Message> fromA = ex.submit(() -> b.receive(A, WAIT).orElseThrow());
        FileTransport a = later(FileTransport.builder(root, A).open());
        a.send(B, numbered(8, 8));
        assertEquals(8, number(fromA.get(WAIT.toSeconds(), TimeUnit.SECONDS).payload()));
    }

    @Test
    void periodicRescanDeliversWhenNoEventEverComes() throws Exception {
        FileSystem fs = later(TestFiles.jimfs(TimeUnit.HOURS.toMillis(1))); // the watcher never reports
        Path root = fs.getPath("/r");
        FileTransport b = later(FileTransport.builder(root, B)
                .rescanInterval(Duration.ofMillis(50))
                .open());
        FileTransport a = later(FileTransport.builder(root, A).open());
        assertTrue(b.receive(A, Duration.ofMillis(100)).isEmpty());
        a.send(B, numbered(1, 8));
        assertEquals(1, number(b.receive(A, WAIT).orElseThrow().payload()));
        FileTransport c = later(FileTransport.builder(root, PartyId.of("c")).open());
        c.send(B, numbered(2, 8));
        assertEquals(2, number(b.receiveAny(WAIT).orElseThrow().payload()));
    }

    @Test
    void withoutEventsTheRescanAloneFindsMessagesAndNewChannels() throws Exception {
        FileSystem fs = later(TestFiles.jimfs());
        Path root = fs.getPath("/r");
        FileTransport b = later(FileTransport.builder(root, B)
                .watchEvents(false)
                .rescanInterval(Duration.ofMillis(20))
                .open());
        assertEquals(0, SharedWatcher.references(fs), "no watcher used");
        assertTrue(b.receiveAny(Duration.ofMillis(50)).isEmpty());
        FileTransport c = later(
                FileTransport.builder(root, PartyId.of("c")).watchEvents(false).open());
        c.send(B, numbered(3, 8));
        Message m = b.receiveAny(WAIT).orElseThrow();
        assertEquals(PartyId.of("c"), m.from());
        c.send(B, numbered(4, 8));
        assertEquals(4, number(b.receive(PartyId.of("c"), WAIT).orElseThrow().payload()));
    }

    @Test
    void idleReceiverWithAThousandChannelsLooksOnlyWhereAnEventPoints() throws Exception {
        FileSystem fs = later(TestFiles.jimfs(20));
        Path root = fs.getPath("/r");
        int channels = 1000;
        for (int i = 0; i < channels; i++) {
            Files.createDirectories(root.resolve("s" + i + "_to_b"));
        }
        FileTransport b =
                later(FileTransport.builder(root, B).rescanInterval(NEVER).open());
        assertTrue(b.receiveAny(Duration.ofMillis(50)).isEmpty());
        assertEquals(channels, b.inboundParties().size());
        b.resetPolls();
        assertTrue(b.receiveAny(Duration.ofMillis(400)).isEmpty());
        assertEquals(0, b.polls(), "no channel looked at without an event");
        FileTransport s = later(FileTransport.builder(root, PartyId.of("s500")).open());
        s.send(B, numbered(500, 8));
        Message m = b.receiveAny(WAIT).orElseThrow();
        assertEquals(PartyId.of("s500"), m.from());
        assertTrue(b.polls() <= 4, "looked at " + b.polls() + " channels for one event");
    }

    @Test
    void closeWakesABlockedReceiveAny() throws Exception {
        FileSystem fs = later(TestFiles.jimfs());
        FileTransport b = FileTransport.builder(fs.getPath("/r"), B).open();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        later(ex::shutdownNow);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Future<?> blocked = ex.submit(() -> {
            started.countDown();
            return b.receiveAny(WAIT);
        });
        started.await();
        b.close(); // before or during the wait: either way a TransportClosedException
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof io.formix.transport.TransportClosedException, e.toString());
    }
}
