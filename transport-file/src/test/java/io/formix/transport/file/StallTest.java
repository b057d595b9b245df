package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A receiver that cannot fill a gap says so once it has lasted the stable window, and stops when it closes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StallTest extends JimfsChannelFixture {

    static final Duration WINDOW = Duration.ofSeconds(30);
    static final Duration SHORT = Duration.ofMillis(100);

    final TestFiles.MutableClock clock = new TestFiles.MutableClock();

    FileTransport receiver() throws IOException {
        return open(
                FileTransport.builder(root, B).clock(clock).stableWindow(WINDOW).rescanInterval(Duration.ofMillis(20)));
    }

    static void put(java.nio.file.Path ch, long n) throws IOException {
        TestFiles.writeMsg(ch, n, numbered((int) n, 8));
        TestFiles.writeReady(ch, n);
    }

    @Test
    void gapIsReportedExactlyAtTheStableWindowAndClearedWhenFilled() throws Exception {
        for (long n = 1; n <= 3; n++) {
            put(ab, n);
        }
        Instant since = clock.instant();
        FileTransport b = receiver();
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertEquals(List.of(), b.stalls(), "a fresh gap is a sync engine's reordering, not a stall");
        clock.advance(WINDOW.minusMillis(1));
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertEquals(List.of(), b.stalls(), "1 ms short of the window");
        clock.advance(Duration.ofMillis(2));
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertEquals(List.of(new ChannelStall(A, 0, 1, 3, since)), b.stalls());
        assertTrue(b.receiveAny(SHORT).isEmpty());
        assertEquals(1, b.stalls().size(), "still stuck: still reported");
        put(ab, 0);
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        assertEquals(List.of(), b.stalls(), "cleared once the channel moves on");
        for (long n = 1; n <= 3; n++) {
            assertEquals(n, b.receive(A, WAIT).orElseThrow().sequence());
        }
        assertEquals(List.of(), b.stalls());
    }

    @Test
    void markerWaitingForItsMessageIsNotAGapAndNothingAheadIsNoStall() throws Exception {
        TestFiles.writeReady(ab, 0); // the message itself is still on its way: nothing ahead
        FileTransport b = receiver();
        assertTrue(b.receive(A, SHORT).isEmpty());
        clock.advance(WINDOW.multipliedBy(10));
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertEquals(List.of(), b.stalls());
    }

    @Test
    void gapThatAppearsLaterIsFoundByTheFullRescanListing() throws Exception {
        FileTransport a = open(FileTransport.builder(root, A));
        FileTransport b = receiver();
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        // Message 1 never comes (a sender that lost its state, or a lost file); 2 and 3 do.
        put(ab, 2);
        put(ab, 3);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (b.stalls().isEmpty() && System.nanoTime() < deadline) {
            b.receive(A, SHORT); // rescans run while it waits; a full one lists the folder
            clock.advance(WINDOW);
        }
        List<ChannelStall> stalls = b.stalls();
        assertEquals(1, stalls.size(), "reported after a full rescan and the window");
        assertEquals(1, stalls.get(0).waitingFor());
        assertEquals(2, stalls.get(0).lowestAhead());
        assertEquals(3, stalls.get(0).highestAhead());
        assertEquals(A, stalls.get(0).from());
    }
}
