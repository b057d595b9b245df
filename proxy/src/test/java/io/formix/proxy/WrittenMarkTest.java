package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.FreePorts;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mark that stops a message written to the application just before a crash from being written
 * again after the restart, when the transport delivers it once more (it was not acknowledged).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WrittenMarkTest extends ProxyTestBase {
    @TempDir
    Path dir;

    private static Message msg(long seq, String text) {
        return new Message(P0, seq, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMarkIsWrittenReadBackAndCleared() throws Exception {
        try (WrittenMark mark = WrittenMark.open(dir, P0)) {
            assertEquals(Optional.empty(), mark.recovered());
            mark.written(msg(41, "abc"));
            assertEquals(Optional.of(new WrittenMark.Mark(41, 3)), WrittenMark.read(mark.file()));
            mark.acknowledged();
            assertEquals(Optional.empty(), WrittenMark.read(mark.file()));
            mark.written(msg(42, "abcd"));
        }
        try (WrittenMark again = WrittenMark.open(dir, P0)) {
            assertEquals(Optional.of(new WrittenMark.Mark(42, 4)), again.recovered());
        }
    }

    @Test
    void aDamagedOrForeignMarkIsIgnored() throws Exception {
        Path file = dir.resolve("0.written");
        Files.write(file, new byte[] {1, 2, 3});
        assertEquals(Optional.empty(), WrittenMark.read(file), "wrong size");
        byte[] b = new byte[WrittenMark.BYTES];
        FrameCodec.putLength(7, b, 0);
        FrameCodec.putLength(3, b, 8);
        FrameCodec.putLength(12345, b, 16);
        Files.write(file, b);
        assertEquals(Optional.empty(), WrittenMark.read(file), "failed check");
        FrameCodec.putLength(~(7L ^ 3L), b, 16);
        Files.write(file, b);
        assertEquals(Optional.of(new WrittenMark.Mark(7, 3)), WrittenMark.read(file), "the same bytes, checked");
    }

    /**
     * The first run writes message 5 to its application and dies before the next receive
     * acknowledges it (its transport blocks there for good). The second run's transport delivers
     * 5 again: the application gets 6 and 7 only.
     */
    @Test
    void theMessageWrittenBeforeACrashIsNotWrittenAgain() throws Exception {
        Scripted first = track(new Scripted(msg(5, "five")));
        startProxy(first);
        DataInputStream app = connect(first.base);
        assertArrayEquals(bytes("five"), FrameCodec.read(app, 100));
        assertTrue(first.blocked.await(10, TimeUnit.SECONDS), "the first run never came back to receive");

        Scripted second = track(new Scripted(msg(5, "five"), msg(6, "six"), msg(7, "seven")));
        startProxy(second);
        DataInputStream app2 = connect(second.base);
        assertArrayEquals(bytes("six"), FrameCodec.read(app2, 100));
        assertArrayEquals(bytes("seven"), FrameCodec.read(app2, 100));
    }

    /**
     * On a new connection the message is marked only once the application has read it: until
     * then a restart must write it again (it may have gone to a socket that never reads).
     */
    @Test
    void aMessageOnProbationIsMarkedOnlyOnceTheApplicationReadsIt() throws Exception {
        Scripted run = track(new Scripted(msg(5, "five")));
        startProxy(run);
        Socket s = track(new Socket(InetAddress.getLoopbackAddress(), run.base + 1));
        s.setSoTimeout(20_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.getInputStream().available() == 0) {
            assertTrue(System.nanoTime() < deadline, "message 5 never written");
            ProxyProcess.pause(10);
        }
        Path file = dir.resolve("state").resolve("0.written");
        assertEquals(Optional.empty(), WrittenMark.read(file), "written, not read: not marked");
        assertEquals(1, run.taken(), "no further receive, so nothing acknowledged");
        assertArrayEquals(bytes("five"), FrameCodec.read(new DataInputStream(s.getInputStream()), 100));
        assertTrue(run.blocked.await(10, TimeUnit.SECONDS), "the proxy never came back to receive");
        assertEquals(Optional.of(new WrittenMark.Mark(5, 4)), WrittenMark.read(file), "read: marked");
    }

    /** A mark whose message was acknowledged after all (or another message) skips nothing. */
    @Test
    void aMarkThatDoesNotMatchTheFirstMessageSkipsNothing() throws Exception {
        try (WrittenMark mark = WrittenMark.open(dir.resolve("state"), P0)) {
            mark.written(msg(5, "five"));
        }
        Scripted run = track(new Scripted(msg(5, "FIVE!"), msg(6, "six")));
        startProxy(run);
        DataInputStream app = connect(run.base);
        assertArrayEquals(bytes("FIVE!"), FrameCodec.read(app, 100), "same sequence, other length: new");
        assertArrayEquals(bytes("six"), FrameCodec.read(app, 100));
    }

    private void startProxy(Scripted t) throws Exception {
        ProxyConfig cfg = ProxyConfig.builder(1, 2, t.base, t.base)
                .poll(Duration.ofMillis(20))
                .shutdownGrace(Duration.ofMillis(200))
                .stateDir(dir.resolve("state"))
                .build();
        Proxy p = Proxy.start(cfg, t);
        // Closed before the transport (tracked earlier), after its blocked receive was released.
        track(() -> {
            t.release();
            p.close();
        });
    }

    private DataInputStream connect(int base) throws Exception {
        Socket s = track(new Socket(InetAddress.getLoopbackAddress(), base + 1));
        s.setSoTimeout(20_000);
        return new DataInputStream(s.getInputStream());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Party 1's transport with a scripted channel from party 0. It hands out its messages, then
     * blocks the next receive until released: a process that died before acknowledging.
     */
    static final class Scripted implements Transport {
        final int base = FreePorts.base(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final ArrayDeque<Message> queue = new ArrayDeque<>();
        private int taken;

        Scripted(Message... messages) {
            queue.addAll(List.of(messages));
        }

        void release() {
            released.countDown();
        }

        @Override
        public PartyId self() {
            return P1;
        }

        @Override
        public void send(PartyId to, byte[] payload) {
            throw new AssertionError("not used");
        }

        /** How many receives were called. */
        synchronized int taken() {
            return taken;
        }

        @Override
        public Optional<Message> receive(PartyId from, Duration timeout) throws InterruptedException {
            Message m;
            synchronized (this) {
                taken++;
                m = queue.pollFirst();
            }
            if (m != null) {
                return Optional.of(m);
            }
            blocked.countDown();
            released.await();
            return Optional.empty();
        }

        @Override
        public Optional<Message> receiveAny(Duration timeout) {
            throw new AssertionError("not used");
        }

        @Override
        public int maxMessageBytes() {
            return 1 << 20;
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void close() {
            release();
        }
    }
}
