package io.formix.node;

import io.formix.transport.PartyId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's mailbox: one daemon thread that runs posted work in the order it was posted. Work posted
 * once the mailbox is stopping is dropped (a restart picks the persisted work up again).
 */
final class Mailbox {

    private final ExecutorService thread;

    Mailbox(PartyId uid) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "node-" + uid + "-mailbox", 256 * 1024);
            t.setDaemon(true);
            return t;
        });
    }

    void post(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException e) {
            // stopping: a restart picks the persisted work up again
        }
    }

    /**
     * Posts {@code work} unless an earlier post under the same {@code pending} flag has not started
     * yet; the flag is cleared just before the work runs.
     */
    void postOnce(AtomicBoolean pending, Runnable work) {
        if (pending.compareAndSet(false, true)) {
            post(() -> {
                pending.set(false);
                work.run();
            });
        }
    }

    /** Accepts no more work and waits up to 30 s for what it holds to finish. */
    void drain() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
