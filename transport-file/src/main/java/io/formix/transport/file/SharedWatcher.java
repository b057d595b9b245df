package io.formix.transport.file;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link WatchService} and one dispatch thread per {@link FileSystem} in this JVM, shared by
 * every {@link FileTransport} on it and reference-counted. Linux allows only 128 inotify
 * instances per user; a process hosting a thousand parties must use one.
 *
 * <p>Listeners run on the dispatch thread and must only set flags and wake waiters: never block,
 * never do file I/O. Events are hints; the transports rescan periodically regardless.
 */
final class SharedWatcher {

    /** Receives the events of one watched folder. */
    interface Listener {
        /** An entry named {@code name} of the folder was created, modified or deleted. */
        void onEvent(Path name);

        /** Events were lost: treat everything as changed. */
        void onOverflow();

        /** The watch ended (folder deleted or renamed): register again if the folder comes back. */
        void onInvalid();
    }

    /** A listener's registration; {@link #cancel()} is idempotent. */
    interface Registration {
        void cancel();
    }

    private static final Logger LOG = LoggerFactory.getLogger(SharedWatcher.class);
    private static final Map<FileSystem, SharedWatcher> BY_FILE_SYSTEM = new HashMap<>();

    private final FileSystem fileSystem;
    private final WatchService service;
    private final Map<WatchKey, List<Listener>> listeners = new ConcurrentHashMap<>();
    private int references;

    private SharedWatcher(FileSystem fileSystem) throws IOException {
        this.fileSystem = fileSystem;
        this.service = fileSystem.newWatchService();
        Thread t = new Thread(this::dispatch, "formix-file-watcher");
        t.setDaemon(true);
        t.start();
    }

    /** The watcher of {@code fs}, created on first use; pair with {@link #release()}. */
    static SharedWatcher acquire(FileSystem fs) throws IOException {
        synchronized (BY_FILE_SYSTEM) {
            SharedWatcher w = BY_FILE_SYSTEM.get(fs);
            if (w == null) {
                w = new SharedWatcher(fs);
                BY_FILE_SYSTEM.put(fs, w);
            }
            w.references++;
            return w;
        }
    }

    /** Takes one more reference to this live watcher (its holder already has one); pair with {@link #release()}. */
    void retain() {
        synchronized (BY_FILE_SYSTEM) {
            references++;
        }
    }

    /** Drops one reference; the last one closes the service and ends the thread. */
    void release() {
        synchronized (BY_FILE_SYSTEM) {
            if (--references > 0) {
                return;
            }
            BY_FILE_SYSTEM.remove(fileSystem);
        }
        try {
            service.close();
        } catch (IOException e) {
            LOG.warn("closing the watch service failed: {}", e.toString());
        }
    }

    /** How many transports share the watcher of {@code fs} (0 if none is live); for tests. */
    static int references(FileSystem fs) {
        synchronized (BY_FILE_SYSTEM) {
            SharedWatcher w = BY_FILE_SYSTEM.get(fs);
            return w == null ? 0 : w.references;
        }
    }

    /**
     * Watches {@code dir} for created, modified and deleted entries. Events of the folder that come
     * before the listener is added are dropped: the caller looks at the folder after registering. A
     * folder whose watch already ended (deleted meanwhile) fails with an {@link IOException}.
     *
     * <p>The registration itself runs outside this watcher's lock: the JDK hands it to its poller
     * thread and waits for it, and registrations made at once are handled in one round (a host
     * opening 10,000 parties registers some 40,000 folders; one at a time, that was most of its start).
     */
    Registration register(Path dir, Listener listener) throws IOException {
        WatchKey key = dir.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        synchronized (this) {
            listeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(listener);
            // The JDK invalidates a key before it hands it out with its last events: a key still
            // valid here reaches the listener when it ends; one already ended may have been handed
            // out before the listener was added, so it is refused now.
            if (!key.isValid()) {
                List<Listener> l = listeners.get(key);
                l.remove(listener);
                if (l.isEmpty()) {
                    listeners.remove(key);
                }
                throw new IOException("the watch of " + dir + " ended while it was made (folder removed?)");
            }
        }
        return new Registration() {
            private boolean cancelled;

            @Override
            public void cancel() {
                synchronized (SharedWatcher.this) {
                    if (cancelled) {
                        return;
                    }
                    cancelled = true;
                    List<Listener> l = listeners.get(key);
                    if (l != null) {
                        l.remove(listener);
                        if (l.isEmpty()) {
                            listeners.remove(key);
                            try {
                                key.cancel();
                            } catch (RuntimeException e) {
                                // Jimfs's polling service fails to cancel once it stopped polling
                            }
                        }
                    }
                }
            }
        };
    }

    private void dispatch() {
        try {
            while (true) {
                WatchKey key = service.take();
                List<Listener> ls = listeners.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (ls == null) {
                        continue;
                    }
                    for (Listener l : ls) {
                        try {
                            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                                l.onOverflow();
                            } else {
                                l.onEvent((Path) event.context());
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("watch listener failed: {}", e.toString());
                        }
                    }
                }
                if (!key.reset() && ls != null) {
                    // The folder is gone or the key was cancelled; listeners recover by rescanning.
                    for (Listener l : ls) {
                        l.onInvalid();
                    }
                    synchronized (this) {
                        if (!key.isValid()) {
                            listeners.remove(key);
                        }
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // released
        }
    }
}
