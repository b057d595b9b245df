package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When a connection counts as read by its application, and when it is given up. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ProbationTest {
    private static final InetSocketAddress SELF = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9001);
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final long LIMIT = TimeUnit.SECONDS.toNanos(2);

    /** A table that answers the scripted snapshots in turn (the last one again when they run out). */
    static final class Scripted implements SocketTable {
        private final Deque<List<Entry>> snapshots = new ArrayDeque<>();
        private List<Entry> last = List.of();
        boolean broken;

        /** Queues a snapshot where the proxy's socket has {@code tx} unacknowledged and the peer {@code rx} unread. */
        Scripted then(long tx, long rx) {
            snapshots.add(List.of(new Entry(SELF, PEER, 1, tx, 0, 1000), new Entry(PEER, SELF, 1, 0, rx, 1000)));
            return this;
        }

        @Override
        public synchronized List<Entry> snapshot() throws IOException {
            if (broken) {
                throw new IOException("Permission denied");
            }
            if (!snapshots.isEmpty()) {
                last = snapshots.poll();
            }
            return last;
        }
    }

    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicBoolean othersWaiting = new AtomicBoolean();

    private Probation probation(SocketTable table) {
        return new Probation(table, SELF, PEER, t -> othersWaiting.get(), LIMIT, now::get);
    }

    @Test
    void bytesStillQueuedOnEitherSideAreNotRead() {
        Scripted table = new Scripted();
        Probation p = probation(table);
        p.startWrite();
        p.handed(1000);
        p.endWrite();
        table.then(500, 0).then(0, 500); // read in this order: 500 in flight, then 500 unread
        assertEquals(Probation.Verdict.WAIT, p.probe(true), "all 1000 bytes are in one queue or the other");
        table.then(400, 0).then(0, 600);
        assertEquals(Probation.Verdict.WAIT, p.probe(true));
        assertFalse(p.proven());
        table.then(0, 0).then(0, 999);
        assertEquals(Probation.Verdict.PROVEN, p.probe(true), "one byte was read");
        assertTrue(p.proven());
        table.broken = true;
        assertEquals(Probation.Verdict.PROVEN, p.probe(true), "proven for good, without looking again");
    }

    @Test
    void aConnectionMissingFromTheTableIsNotProven() {
        Scripted table = new Scripted();
        table.snapshots.add(List.of());
        Probation p = probation(table);
        p.startWrite();
        p.handed(10);
        p.endWrite();
        assertEquals(Probation.Verdict.WAIT, p.probe(false), "no entry, no evidence");
        table.broken = true;
        assertEquals(Probation.Verdict.WAIT, p.probe(false), "an unreadable table is no evidence either");
        assertFalse(p.proven());
    }

    @Test
    void aByteFromTheApplicationProvesIt() throws Exception {
        Probation p = probation(new Scripted());
        assertFalse(p.await(1));
        p.heard();
        assertTrue(p.proven());
        assertTrue(p.await(TimeUnit.SECONDS.toNanos(5)));
    }

    @Test
    void itIsAbandonedOnlyWithUnreadBytesPastTheLimitWhileAnotherWaits() {
        Scripted table = new Scripted().then(0, 100);
        Probation p = probation(table);
        othersWaiting.set(true);
        now.addAndGet(10 * LIMIT);
        assertEquals(Probation.Verdict.WAIT, p.probe(true), "nothing written: nothing at stake, keep it");

        p.startWrite(); // the clock starts at the first write
        p.handed(100);
        p.endWrite();
        now.addAndGet(LIMIT - 1);
        assertEquals(Probation.Verdict.WAIT, p.probe(true), "not past the limit");
        now.addAndGet(1);
        othersWaiting.set(false);
        assertEquals(Probation.Verdict.WAIT, p.probe(true), "no one else waits: a slow engine keeps its link");
        othersWaiting.set(true);
        assertEquals(Probation.Verdict.WAIT, p.probe(false), "a last look never abandons");
        assertEquals(Probation.Verdict.ABANDON, p.probe(true));
        p.abandon();
        assertTrue(p.abandoned());
        assertFalse(p.proven());
    }

    /** With the real table: bytes written and left unread prove nothing; reading one byte proves the connection. */
    @Test
    void onARealConnectionReadingOneByteProvesIt() throws Exception {
        SocketTable table = ProcNetTcp.system().orElse(null);
        assumeTrue(table != null, "no /proc/net/tcp here");
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                Socket app = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket proxySide = server.accept()) {
            Probation p = new Probation(
                    table,
                    (InetSocketAddress) proxySide.getLocalSocketAddress(),
                    (InetSocketAddress) proxySide.getRemoteSocketAddress(),
                    t -> true,
                    0,
                    System::nanoTime);
            OutputStream out = proxySide.getOutputStream();
            p.startWrite();
            out.write(new byte[5000]);
            out.flush();
            p.handed(5000);
            p.endWrite();
            assertEquals(Probation.Verdict.ABANDON, p.probe(true), "unread, past a zero limit, another waiting");
            assertEquals(Probation.Verdict.WAIT, p.probe(false));
            assertEquals(0, app.getInputStream().read());
            assertEquals(Probation.Verdict.PROVEN, p.probe(false));
            assertTrue(p.proven());
        }
    }
}
