package io.formix.proxy;

import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared fixture of the proxy tests: parties {@link #P0} and {@link #P1}, resources registered
 * with {@link #track} closed after each test in reverse order, and polling helpers that wait for a
 * value to settle instead of sleeping a fixed time.
 */
abstract class ProxyTestBase {
    static final PartyId P0 = PartyId.ofPid(0);
    static final PartyId P1 = PartyId.ofPid(1);

    private final List<AutoCloseable> closeMe = new ArrayList<>();

    @AfterEach
    void closeTracked() throws Exception {
        for (int i = closeMe.size() - 1; i >= 0; i--) {
            closeMe.get(i).close();
        }
    }

    /** Closes {@code c} after the test, after everything tracked later. */
    <T extends AutoCloseable> T track(T c) {
        closeMe.add(c);
        return c;
    }

    /** The {@code .msg} files in {@code channel}, or -1 if it cannot be listed. */
    static long countMsgFiles(Path channel) {
        try (Stream<Path> s = Files.list(channel)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".msg")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** {@link #awaitStable(LongSupplier, Duration, Duration)} within 30 s, quiet for 1 s. */
    static long awaitStable(LongSupplier value) throws InterruptedException {
        return awaitStable(value, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    /**
     * Polls {@code value} every 50 ms until it has not changed for {@code quiet}, and returns it.
     *
     * @throws AssertionError if it is still changing after {@code within}
     */
    static long awaitStable(LongSupplier value, Duration within, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long last = Long.MIN_VALUE;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long v = value.getAsLong();
            if (v != last) {
                last = v;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > quiet.toNanos()) {
                return v;
            }
            ProxyProcess.pause(50);
        }
        throw new AssertionError("value never settled, last " + last);
    }
}
