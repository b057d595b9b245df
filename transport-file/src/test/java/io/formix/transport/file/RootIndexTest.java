package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** All transports of a JVM on one root share one listing of it; new folders are still found. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RootIndexTest {

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

    /** Writes message 0 and its marker into a new folder, as another process's sender would. */
    static void publish(Path channel, byte[] payload) throws Exception {
        TestFiles.writeMsg(channel, 0, payload);
        TestFiles.writeReady(channel, 0);
    }

    static PartyId p(int i) {
        return PartyId.of("p" + i);
    }

    @Test
    void twoHundredTransportsOnACrowdedRootListItOnce(@TempDir Path root) throws Exception {
        int n = 200;
        int sendersEach = 10; // 2,000 channel folders, as left by an earlier run
        for (int i = 0; i < n; i++) {
            for (int k = 1; k <= sendersEach; k++) {
                Files.createDirectories(root.resolve(ChannelNames.channel(p((i + k) % n), p(i))));
            }
        }
        List<FileTransport> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(FileTransport.builder(root, p(i)).rescanInterval(NEVER).open());
        }
        try {
            long afterOpen = RootIndex.listings(root);
            assertTrue(afterOpen >= 1 && afterOpen <= 2, "root listed " + afterOpen + " times for " + n + " opens");
            for (int i = 0; i < n; i++) {
                Set<PartyId> expected = new HashSet<>();
                for (int k = 1; k <= sendersEach; k++) {
                    expected.add(p((i + k) % n));
                }
                assertEquals(expected, new HashSet<>(ts.get(i).inboundParties()), "inbound channels of " + p(i));
            }

            // Folders created after the opens are found through the events, without listing again.
            try (FileTransport late = FileTransport.builder(root, PartyId.of("late"))
                    .rescanInterval(NEVER)
                    .open()) {
                late.send(p(7), numbered(7, 8));
                Message m = ts.get(7).receiveAny(WAIT).orElseThrow(() -> new AssertionError("nothing arrived"));
                assertEquals(PartyId.of("late"), m.from());
                assertEquals(7, number(m.payload()));
            }
            publish(root.resolve(ChannelNames.channel(PartyId.of("other"), p(8))), numbered(8, 8));
            Message m = ts.get(8).receive(PartyId.of("other"), WAIT).orElseThrow(() -> new AssertionError("none"));
            assertEquals(8, number(m.payload()));
            long total = RootIndex.listings(root);
            assertTrue(total <= afterOpen + 2, "root listed " + total + " times in all");
        } finally {
            for (FileTransport t : ts) {
                t.close();
            }
        }
        assertEquals(-1, RootIndex.listings(root), "the last close releases the index");
    }

    @Test
    void withoutEventsTransportsStillDiscoverNewChannelsThroughTheSharedRelist() throws Exception {
        FileSystem fs = later(TestFiles.jimfs());
        Path root = fs.getPath("/r");
        List<FileTransport> ts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ts.add(later(FileTransport.builder(root, p(i))
                    .watchEvents(false)
                    .rescanInterval(Duration.ofMillis(20))
                    .open()));
        }
        assertEquals(0, SharedWatcher.references(fs), "no watcher used");
        publish(root.resolve(ChannelNames.channel(PartyId.of("x"), p(3))), numbered(3, 8));
        Message m = ts.get(3).receiveAny(WAIT).orElseThrow(() -> new AssertionError("nothing arrived"));
        assertEquals(PartyId.of("x"), m.from());
        assertEquals(3, number(m.payload()));
    }

    @Test
    void anUnwatchedTransportLearnsNewChannelsFromAWatchingNeighbour() throws Exception {
        FileSystem fs = later(TestFiles.jimfs());
        Path root = fs.getPath("/r");
        FileTransport b = later(FileTransport.builder(root, p(1))
                .watchEvents(false)
                .rescanInterval(Duration.ofMillis(20))
                .open());
        later(FileTransport.builder(root, p(2)).rescanInterval(NEVER).open()); // watches the root
        publish(root.resolve(ChannelNames.channel(PartyId.of("x"), p(1))), numbered(5, 8));
        assertEquals(
                5,
                number(b.receiveAny(WAIT)
                        .orElseThrow(() -> new AssertionError("none"))
                        .payload()));
    }

    @Test
    void indexReadsEventsNamesOneByOneAndRelistsAfterEveryGap(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a_to_b"));
        Files.createDirectories(root.resolve("b_to_b")); // to itself: not a channel
        Files.createDirectories(root.resolve("A_to_b")); // invalid id
        Files.createDirectories(root.resolve("notes"));
        Files.write(root.resolve("c_to_b"), new byte[0]); // a file: indexed, its channel refuses it
        SharedWatcher watcher = SharedWatcher.acquire(root.getFileSystem());
        RootIndex index = RootIndex.acquire(root, watcher);
        watcher.release(); // the index holds its own reference
        try {
            assertTrue(index.watched());
            index.refresh(Long.MAX_VALUE, 0);
            assertEquals(1, RootIndex.listings(root));
            assertEquals(Set.of(PartyId.of("a"), PartyId.of("c")), index.sendersTo(PartyId.of("b")));
            assertEquals(Set.of(PartyId.of("b")), index.receiversFrom(PartyId.of("a")));

            Files.createDirectories(root.resolve("d_to_b"));
            Files.delete(root.resolve("a_to_b"));
            index.entryChanged("d_to_b"); // as the root watch reports them (it may report them too)
            index.entryChanged("a_to_b");
            index.entryChanged("notes"); // not a channel name: ignored
            index.refresh(Long.MAX_VALUE, 0);
            assertEquals(1, RootIndex.listings(root), "watched: events are enough");
            assertEquals(Set.of(PartyId.of("c"), PartyId.of("d")), index.sendersTo(PartyId.of("b")));
            assertEquals(Set.of(), index.receiversFrom(PartyId.of("a")));

            index.eventsLost();
            index.refresh(Long.MAX_VALUE, Long.MAX_VALUE);
            assertEquals(2, RootIndex.listings(root), "lost events relist at once, however young the listing");
            index.refresh(Long.MAX_VALUE, Long.MAX_VALUE);
            assertEquals(2, RootIndex.listings(root), "and one listing serves everyone after it");

            index.watchLost();
            assertFalse(index.watched());
            index.refresh(Long.MAX_VALUE, Long.MAX_VALUE);
            assertEquals(3, RootIndex.listings(root), "the end of the watch is a gap too");
            index.refresh(Long.MAX_VALUE, Long.MAX_VALUE);
            assertEquals(3, RootIndex.listings(root), "unwatched, but young enough for this caller");
            index.refresh(Long.MAX_VALUE, 0);
            assertEquals(4, RootIndex.listings(root), "unwatched: a caller needing a current listing lists");
            index.refresh(0, Long.MAX_VALUE);
            assertEquals(5, RootIndex.listings(root), "older than the periodic age: listed again");
        } finally {
            index.release();
        }
        assertEquals(-1, RootIndex.listings(root));
        assertEquals(0, SharedWatcher.references(root.getFileSystem()), "the last release ends the root watch");
    }

    @Test
    void aRootEventWakesOnlyTheReceiverItNames(@TempDir Path root) throws Exception {
        RootIndex index = RootIndex.acquire(root, null);
        try {
            List<String> heard = new ArrayList<>();
            index.subscribe(p(1), subscriber(heard, "p1"));
            index.subscribe(p(2), subscriber(heard, "p2"));
            index.entryChanged(ChannelNames.channel(p(9), p(1)));
            assertEquals(List.of("p1 channels"), heard);
            index.eventsLost();
            assertEquals(Set.of("p1 channels", "p1 everything", "p2 everything"), new HashSet<>(heard));
            heard.clear();
            index.unsubscribe(p(1), subscriber(heard, "p1"));
            index.entryChanged(ChannelNames.channel(p(9), p(2)));
            assertEquals(List.of("p2 channels"), heard);
        } finally {
            index.release();
        }
    }

    private static RootIndex.Subscriber subscriber(List<String> heard, String name) {
        record Recording(List<String> heard, String name) implements RootIndex.Subscriber {
            @Override
            public void channelsChanged() {
                heard.add(name + " channels");
            }

            @Override
            public void everythingChanged() {
                heard.add(name + " everything");
            }
        }
        return new Recording(heard, name);
    }
}
