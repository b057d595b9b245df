package io.formix.transport.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File-system steps that never follow a symbolic link: type checks with {@code lstat}, folders
 * that must be real folders, and moving an entry aside (the entry itself, whatever it is).
 */
final class SafeFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SafeFiles.class);

    private SafeFiles() {}

    /** The entry's own attributes (a link is not followed), or null if there is no such entry. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether {@code p} is a folder itself, not a link to one. */
    static boolean isRealDirectory(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        return a != null && a.isDirectory() && !a.isSymbolicLink();
    }

    /** Whether {@code p} is a regular file itself, not a link to one. */
    static boolean isRegularFile(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        return a != null && a.isRegularFile();
    }

    /** "symbolic link", "directory", "FIFO" … for an entry that exists; "missing" otherwise. */
    static String describe(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        return a == null ? "missing" : RegularFiles.kind(a, p);
    }

    /**
     * Creates the folder {@code dir} if it is missing (its parent must exist) and checks that it
     * is a real folder.
     *
     * @throws IOException naming {@code what} and the path if it is a link or not a folder
     */
    static void requireRealDirectory(Path dir, String what) throws IOException {
        BasicFileAttributes a = lstat(dir);
        if (a == null) {
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // created meanwhile: checked below
            }
            a = lstat(dir);
        }
        if (a == null || a.isSymbolicLink()) {
            throw new IOException(what + " " + dir + " is a symbolic link; refusing to follow it "
                    + "(replace it with a real folder)");
        }
        if (!a.isDirectory()) {
            throw new IOException(what + " " + dir + " is not a folder but a " + RegularFiles.kind(a, dir));
        }
    }

    /**
     * Moves the entry {@code entry} itself (never what a link points to) into the folder
     * {@code into}, under its own name or with a suffix {@code .1}, {@code .2} … if that is taken.
     * Within one file system this is an atomic rename. Across file systems a regular file's first
     * {@code maxCopyBytes} bytes are copied (without following links) before it is deleted, and
     * any other entry (link, FIFO, folder) is removed, not followed.
     *
     * @return what happened, for the log; null if there was no such entry
     */
    static String moveAside(Path entry, Path into, long maxCopyBytes) throws IOException {
        BasicFileAttributes a = lstat(entry);
        if (a == null) {
            return null;
        }
        String name = entry.getFileName().toString();
        Path target = into.resolve(name);
        for (int i = 1; lstat(target) != null; i++) {
            target = into.resolve(name + "." + i);
        }
        try {
            Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
            return "moved " + name + " to " + target;
        } catch (NoSuchFileException e) {
            return null;
        } catch (AtomicMoveNotSupportedException e) {
            // Another file system: no rename. Keep the bytes of a regular file, drop anything else.
        }
        if (a.isRegularFile()) {
            boolean cut = copyRegular(entry, target, maxCopyBytes);
            Files.deleteIfExists(entry);
            return "copied " + name + " to " + target + (cut ? " (first " + maxCopyBytes + " bytes)" : "")
                    + " and deleted it";
        }
        String kind = RegularFiles.kind(a, entry);
        removeEntry(entry);
        return "removed " + name + " (" + kind + ", not followed)";
    }

    /**
     * Copies the regular file {@code entry} (its first {@code maxCopyBytes} bytes, never through a
     * link) into the folder {@code into}, under its own name or with a suffix {@code .1}, {@code .2}
     * …, leaving the entry where it is: for files that belong to someone else (a peer's datasite).
     *
     * @return what happened, for the log
     */
    static String copyAside(Path entry, Path into, long maxCopyBytes) throws IOException {
        BasicFileAttributes a = lstat(entry);
        if (a == null) {
            return "it is gone";
        }
        if (!a.isRegularFile()) {
            return "left in place (a " + RegularFiles.kind(a, entry) + ", not copied)";
        }
        String name = entry.getFileName().toString();
        Path target = into.resolve(name);
        for (int i = 1; lstat(target) != null; i++) {
            target = into.resolve(name + "." + i);
        }
        boolean cut = copyRegular(entry, target, maxCopyBytes);
        return "copied to " + target + (cut ? " (first " + maxCopyBytes + " bytes)" : "") + ", left in place";
    }

    /** Deletes the entry itself: unlinks a file, link or FIFO; deletes a folder's tree without following links. */
    static void removeEntry(Path entry) throws IOException {
        BasicFileAttributes a = lstat(entry);
        if (a == null) {
            return;
        }
        if (!a.isDirectory() || a.isSymbolicLink()) {
            Files.deleteIfExists(entry);
            return;
        }
        // walkFileTree does not follow links unless asked to: a link inside is deleted as a link.
        Files.walkFileTree(entry, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Copies at most {@code max} bytes of the regular file {@code from}; true if it was cut. */
    private static boolean copyRegular(Path from, Path to, long max) throws IOException {
        try (RegularFiles.Handle in = RegularFiles.open(from);
                FileChannel out = FileChannel.open(
                        to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long total = Math.min(in.size(), max);
            byte[] buf = new byte[(int) Math.min(total, 1 << 16)];
            long pos = 0;
            while (pos < total) {
                int n = (int) Math.min(buf.length, total - pos);
                in.readFully(buf, 0, n, pos);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                pos += n;
            }
            return in.size() > max;
        } catch (IOException e) {
            LOG.warn("could not copy {} to {}: {}", from, to, e.toString());
            throw e;
        }
    }
}
