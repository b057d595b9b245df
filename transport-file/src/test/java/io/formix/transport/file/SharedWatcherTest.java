package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Folders registered from many threads at once each reach their own listener. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedWatcherTest {

    /** Counts a folder's first event down once. */
    private static final class Once implements SharedWatcher.Listener {
        private final CountDownLatch latch;
        private boolean seen;

        Once(CountDownLatch latch) {
            this.latch = latch;
        }

        @Override
        public synchronized void onEvent(Path name) {
            if (!seen) {
                seen = true;
                latch.countDown();
            }
        }

        @Override
        public void onOverflow() {
            onEvent(null);
        }

        @Override
        public void onInvalid() {}
    }

    @Test
    void registrationsMadeAtOnceFromEightThreadsAllDeliverTheirFoldersEvents(@TempDir Path root) throws Exception {
        int threads = 8;
        int perThread = 100;
        SharedWatcher w = SharedWatcher.acquire(FileSystems.getDefault());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch events = new CountDownLatch(threads * perThread);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                done.add(pool.submit(() -> {
                    for (int i = first; i < first + perThread; i++) {
                        Path dir = Files.createDirectory(root.resolve("d" + i));
                        w.register(dir, new Once(events));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            for (int i = 0; i < threads * perThread; i++) {
                Files.createFile(root.resolve("d" + i).resolve("x"));
            }
            assertTrue(events.await(30, TimeUnit.SECONDS), events.getCount() + " folders never told their listener");
        } finally {
            pool.shutdownNow();
            w.release();
        }
    }

    @Test
    void aFolderThatIsGoneCannotBeWatched(@TempDir Path root) throws Exception {
        SharedWatcher w = SharedWatcher.acquire(FileSystems.getDefault());
        try {
            assertThrows(IOException.class, () -> w.register(root.resolve("missing"), new Once(new CountDownLatch(1))));
        } finally {
            w.release();
        }
    }
}
