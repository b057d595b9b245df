package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.StateException;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message a node cannot handle because the process ran out of descriptors (its database could
 * not be opened) is handled again after a wait, not dropped, and the log says in one line which
 * limit to raise, once when it starts and once when it clears. Any other failure is not retried.
 */
@Timeout(30)
class LimitRetryTest {

    @TempDir
    Path dir;

    /** A node whose handler fails {@code failures} times with {@code failure}, then succeeds. */
    private static final class Flaky extends Node {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final RuntimeException failure;

        Flaky(NodeLog log, HostServices services, int failures, RuntimeException failure) throws Exception {
            super(PartyId.of("light-0001"), log, new InMemoryNetwork().open(PartyId.of("light-0001")), services);
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        void onMessage(Envelope e) {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
        }

        @Override
        void tick() {}

        @Override
        void resume() {}

        @Override
        void closeStore() {}
    }

    private static StateException outOfDescriptors() {
        return new StateException(
                "cannot open node.db", new FileSystemException("node.db", null, "Too many open files"));
    }

    @Test
    void aMessageMetByTheDescriptorLimitIsHandledAgainAndTheLimitLoggedOnce() throws Exception {
        FormixHome home = FormixHome.of(dir);
        ExecutorService senders = Executors.newSingleThreadExecutor();
        try (NetworkDb net = NetworkDb.open(home)) {
            HostServices services = TestHostServices.fixedAt(home, net, 1_000, senders);
            Path logFile = dir.resolve("node.log");
            NodeLog log = new NodeLog(logFile, services.clock(), false);
            Flaky node = new Flaky(log, services, 3, outOfDescriptors());
            Envelope e = Envelope.of(
                    MessageType.COMPUTE, PartyId.of("heavy-1"), node.uid, "c1", JsonNodeFactory.instance.objectNode());
            node.handleWithinLimits(e);
            assertEquals(4, node.calls.get(), "three failures, then handled");
            String text = Files.readString(logFile);
            // Once when it starts, once summarised when it clears: not once per retry.
            java.util.List<String> lines = text.lines()
                    .filter(l -> l.contains("too many open files (limit "))
                    .toList();
            assertEquals(2, lines.size(), text);
            assertTrue(lines.get(1).contains("repeated 3 times"), text);
            assertTrue(text.contains("raise `ulimit -n` or host fewer nodes per process"), text);

            Flaky other = new Flaky(log, services, 1, new StateException("database x: no such table"));
            assertThrows(StateException.class, () -> other.handleWithinLimits(e));
            assertEquals(1, other.calls.get(), "a failure that is not a limit is not retried");
        } finally {
            senders.shutdownNow();
        }
    }
}
