package io.formix.transport.tcp;

import io.formix.transport.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared fixture of the TCP fault tests: limits, fast-retrying {@link #options()}, a thread
 * {@link #pool} stopped after each test, and {@link #toClose}, whose resources are closed after
 * it in the order they were added.
 */
abstract class TcpFaultTestBase {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final int MAX = 1 << 20;

    final List<AutoCloseable> toClose = new ArrayList<>();
    final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPoolAndClose() throws Exception {
        pool.shutdownNow();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Messages up to {@link #MAX}, connects within {@link #WAIT}, retries after 5 ms up to 100 ms. */
    static TcpOptions options() {
        return TcpOptions.defaults()
                .withMaxMessageBytes(MAX)
                .withConnectTimeout(WAIT)
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(100));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Message m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }
}
