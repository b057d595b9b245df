package io.formix.transport.file;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exclusive right of one open transport to speak for a party: an OS file lock on
 * {@code <stateDir>/party.lock} (other processes) plus a JVM-wide registry of lock files and of
 * (root, party) pairs (other opens in this process, even with another state folder, and file
 * systems such as Jimfs whose locks are not enforced). One lock per party, not per channel, so
 * descriptors stay bounded. The lock file is never opened through a symbolic link.
 */
final class PartyLock implements AutoCloseable {

    /** Lock files held in this JVM, per file system (compared by identity). */
    private static final Map<FileSystem, Set<Path>> HELD_IN_THIS_JVM = new IdentityHashMap<>();

    /** The lock file holds the holder's pid, padded with spaces to this many bytes. */
    static final int PID_WIDTH = 10;

    private final List<Path> keys;
    private final FileChannel channel;
    private final FileLock lock;

    private PartyLock(List<Path> keys, FileChannel channel, FileLock lock) {
        this.keys = keys;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails with a {@link ChannelLockedException} naming the lock file. */
    static PartyLock acquire(Path root, StateDir state, PartyId self) throws IOException {
        Path file = state.lockFile();
        Path key = state.dir.toRealPath().resolve(StateDir.LOCK);
        // The same party on the same root in this JVM, whatever its state folder (a key, not a file).
        Path rootKey = root.toRealPath().resolve(".formix-party-" + self.value());
        List<Path> keys = List.of(key, rootKey);
        synchronized (HELD_IN_THIS_JVM) {
            Set<Path> held = HELD_IN_THIS_JVM.computeIfAbsent(key.getFileSystem(), fs -> new HashSet<>());
            if (held.contains(key) || held.contains(rootKey)) {
                throw new ChannelLockedException("party " + self + " is already open in this process on " + root
                        + " (lock file " + file + "); close the other FileTransport first");
            }
            held.addAll(keys);
        }
        FileChannel ch = null;
        try {
            BasicFileAttributes a = SafeFiles.lstat(file);
            if (a != null && !a.isRegularFile()) {
                throw new IOException("lock file " + file + " is not a regular file but a " + RegularFiles.kind(a, file)
                        + "; remove it");
            }
            ch = FileChannel.open(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new ChannelLockedException("party " + self + " is already open by another process"
                        + holder(file) + " on " + root + ": lock file " + file
                        + " is held; stop that process (two writers must never race on one channel)");
            }
            if (key.getFileSystem().equals(FileSystems.getDefault())) {
                // Written over the last holder's pid, padded, rather than after truncating the file:
                // a truncate frees the file's block, a journal transaction that costs ~40 times an
                // overwrite, and a host opening 10,000 parties waited mostly for those.
                byte[] pid = String.format(
                                java.util.Locale.ROOT,
                                "%-" + PID_WIDTH + "s",
                                ProcessHandle.current().pid())
                        .getBytes(StandardCharsets.US_ASCII);
                ch.write(ByteBuffer.wrap(pid), 0);
                if (ch.size() > pid.length) {
                    ch.truncate(pid.length);
                }
            }
            return new PartyLock(keys, ch, lock);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            release(keys);
            throw e;
        }
    }

    private static String holder(Path file) {
        byte[] b = new byte[PID_WIDTH];
        try (RegularFiles.Handle h = RegularFiles.open(file)) {
            int n = (int) Math.min(h.size(), b.length);
            h.readFully(b, 0, n, 0);
            String pid = new String(b, 0, n, StandardCharsets.US_ASCII).trim();
            return pid.matches("[0-9]{1,10}") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } finally {
            release(keys);
        }
    }

    private static void release(List<Path> keys) {
        synchronized (HELD_IN_THIS_JVM) {
            Set<Path> held = HELD_IN_THIS_JVM.get(keys.get(0).getFileSystem());
            if (held != null) {
                held.removeAll(keys);
                if (held.isEmpty()) {
                    HELD_IN_THIS_JVM.remove(keys.get(0).getFileSystem());
                }
            }
        }
    }
}
