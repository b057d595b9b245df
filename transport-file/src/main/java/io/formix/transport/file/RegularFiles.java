package io.formix.transport.file;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens files for reading only if they are regular files, never through a symbolic link and never
 * blocking. On the default file system the file is opened natively with
 * {@code O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC} and its descriptor checked with {@code fstat},
 * so a FIFO or a link swapped in after any earlier check is refused, not waited on or followed. On
 * other file systems (Jimfs), or if the native library cannot load, the entry's type is checked
 * without following links and then opened with {@link LinkOption#NOFOLLOW_LINKS}.
 */
final class RegularFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RegularFiles.class);

    private RegularFiles() {}

    /** An entry that is not a regular file; {@link #kind()} says what it is instead. */
    static final class NotRegularFileException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String kind;

        NotRegularFileException(Path file, String kind) {
            super(file + " is not a regular file: " + kind);
            this.kind = kind;
        }

        /** "symbolic link", "FIFO", "directory", "socket", "device" or "special file". */
        String kind() {
            return kind;
        }
    }

    /** An open regular file: its size when opened, and positional reads. */
    interface Handle extends Closeable {
        long size();

        /** Fills {@code dst[off, off+len)} from {@code position}; EOFException if the file ends first. */
        void readFully(byte[] dst, int off, int len, long position) throws IOException;
    }

    /**
     * Opens {@code file} for reading.
     *
     * @throws NoSuchFileException if there is no such entry
     * @throws NotRegularFileException if the entry is a link, FIFO, folder or other special file
     */
    static Handle open(Path file) throws IOException {
        if (file.getFileSystem() == FileSystems.getDefault()) {
            POSIX posix = Native.POSIX;
            if (posix != null) {
                return openNative(posix, file);
            }
        }
        return openNio(file);
    }

    /** What {@link #probe} found: nothing, a regular file, or something else (a link, FIFO, folder …). */
    enum Probe {
        ABSENT,
        REGULAR,
        OTHER
    }

    /**
     * What the entry {@code file} itself is, a link not followed. On the default file system this is
     * one native {@code lstat} whose "no such entry" is an error number, not an exception: a receiver
     * asks this of a marker that is usually not there yet, and NIO pays for a stack trace each time.
     */
    static Probe probe(Path file) throws IOException {
        POSIX posix = file.getFileSystem() == FileSystems.getDefault() ? Native.POSIX : null;
        if (posix == null) {
            BasicFileAttributes a = SafeFiles.lstat(file);
            return a == null ? Probe.ABSENT : a.isRegularFile() ? Probe.REGULAR : Probe.OTHER;
        }
        String path = file.toAbsolutePath().toString();
        FileStat st = posix.allocateStat();
        if (posix.lstat(path, st) < 0) {
            int errno = posix.errno();
            if (errno == Errno.ENOENT.intValue()) {
                return Probe.ABSENT;
            }
            BasicFileAttributes a = SafeFiles.lstat(file); // any other failure: as NIO reports it
            return a == null ? Probe.ABSENT : a.isRegularFile() ? Probe.REGULAR : Probe.OTHER;
        }
        return st.isFile() ? Probe.REGULAR : Probe.OTHER;
    }

    /** {@link #probeSize}: no such entry. */
    static final long ABSENT = -1;
    /** {@link #probeSize}: an entry that is not a regular file. */
    static final long NOT_REGULAR = -2;

    /**
     * Like {@link #probe}, with the size of a regular file: {@link #ABSENT}, {@link #NOT_REGULAR}
     * or the size (one {@code lstat}; a receiver learns whether a marker is empty without opening it).
     */
    static long probeSize(Path file) throws IOException {
        POSIX posix = file.getFileSystem() == FileSystems.getDefault() ? Native.POSIX : null;
        if (posix != null) {
            FileStat st = posix.allocateStat();
            if (posix.lstat(file.toAbsolutePath().toString(), st) < 0) {
                if (posix.errno() == Errno.ENOENT.intValue()) {
                    return ABSENT;
                }
            } else {
                return st.isFile() ? st.st_size() : NOT_REGULAR;
            }
        }
        BasicFileAttributes a = SafeFiles.lstat(file);
        return a == null ? ABSENT : a.isRegularFile() ? a.size() : NOT_REGULAR;
    }

    /** Whether reads on the default file system go through the native, non-blocking open. */
    static boolean nativeOpen() {
        return Native.POSIX != null;
    }

    /** What an entry is, in words: "regular file", "symbolic link", "directory", "FIFO" … */
    static String kind(BasicFileAttributes a, Path file) {
        if (a.isRegularFile()) {
            return "regular file";
        }
        if (a.isSymbolicLink()) {
            return "symbolic link";
        }
        if (a.isDirectory()) {
            return "directory";
        }
        if (a.isOther()) {
            try {
                Object mode = java.nio.file.Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (mode instanceof Integer m) {
                    return kindOfMode(m);
                }
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                // no unix view: say what we know
            }
        }
        return "special file";
    }

    private static String kindOfMode(int mode) {
        return switch (mode & 0170000) {
            case 0010000 -> "FIFO";
            case 0140000 -> "socket";
            case 0020000, 0060000 -> "device";
            case 0040000 -> "directory";
            case 0120000 -> "symbolic link";
            default -> "special file";
        };
    }

    private static Handle openNative(POSIX posix, Path file) throws IOException {
        String path = file.toAbsolutePath().toString();
        int fd = posix.open(path, Native.READ_FLAGS, 0);
        if (fd < 0) {
            int errno = posix.errno();
            if (errno == Errno.ENOENT.intValue()) {
                throw new NoSuchFileException(path);
            }
            if (errno == Errno.ELOOP.intValue()) {
                throw new NotRegularFileException(file, "symbolic link"); // O_NOFOLLOW on a link
            }
            if (errno == Errno.ENXIO.intValue()) {
                throw new NotRegularFileException(file, "socket"); // a socket cannot be opened
            }
            throw new IOException(path + ": " + Errno.valueOf(errno).description());
        }
        try {
            FileStat st = posix.allocateStat();
            if (posix.fstat(fd, st) < 0) {
                throw new IOException(
                        path + ": fstat: " + Errno.valueOf(posix.errno()).description());
            }
            if (!st.isFile()) {
                throw new NotRegularFileException(file, kindOfMode(st.mode()));
            }
            return new NativeHandle(posix, fd, st.st_size(), path);
        } catch (IOException | RuntimeException e) {
            posix.close(fd);
            throw e;
        }
    }

    private static Handle openNio(Path file) throws IOException {
        BasicFileAttributes a = SafeFiles.lstat(file);
        if (a == null) {
            throw new NoSuchFileException(file.toString());
        }
        if (!a.isRegularFile()) {
            throw new NotRegularFileException(file, kind(a, file));
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new Handle() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void readFully(byte[] dst, int off, int len, long position) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
                long pos = position;
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, pos);
                    if (r < 0) {
                        throw new EOFException();
                    }
                    pos += r;
                }
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** A native descriptor read with {@code pread}. */
    private static final class NativeHandle implements Handle {
        private final POSIX posix;
        private final int fd;
        private final long size;
        private final String path;

        NativeHandle(POSIX posix, int fd, long size, String path) {
            this.posix = posix;
            this.fd = fd;
            this.size = size;
            this.path = path;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void readFully(byte[] dst, int off, int len, long position) throws IOException {
            int done = 0;
            byte[] chunk = null;
            while (done < len) {
                long r;
                if (off == 0 && done == 0) {
                    r = posix.pread(fd, dst, len, position); // the usual case: one call, no copy
                } else {
                    if (chunk == null) {
                        chunk = new byte[Math.min(len - done, 1 << 20)];
                    }
                    int want = Math.min(len - done, chunk.length);
                    r = posix.pread(fd, chunk, want, position + done);
                    if (r > 0) {
                        System.arraycopy(chunk, 0, dst, off + done, (int) r);
                    }
                }
                if (r < 0) {
                    throw new IOException(
                            path + ": read: " + Errno.valueOf(posix.errno()).description());
                }
                if (r == 0) {
                    throw new EOFException();
                }
                done += (int) r;
            }
        }

        @Override
        public void close() {
            posix.close(fd);
        }
    }

    /** The native library, loaded on first use; null (with one warning) if it cannot load. */
    private static final class Native {
        static final POSIX POSIX = load();
        static final int READ_FLAGS = OpenFlags.O_RDONLY.intValue()
                | OpenFlags.O_NOFOLLOW.intValue()
                | OpenFlags.O_NONBLOCK.intValue()
                | (OpenFlags.O_CLOEXEC.defined() ? OpenFlags.O_CLOEXEC.intValue() : 0);

        private static POSIX load() {
            try {
                POSIX p = POSIXFactory.getNativePOSIX();
                if (p != null && p.isNative() && OpenFlags.O_NOFOLLOW.defined() && OpenFlags.O_NONBLOCK.defined()) {
                    return p;
                }
                LOG.warn("native POSIX calls are not available; message files are opened through NIO "
                        + "(a FIFO swapped in between the type check and the open could block a receive)");
            } catch (LinkageError | RuntimeException e) {
                LOG.warn(
                        "native POSIX calls are not available ({}); message files are opened through NIO "
                                + "(a FIFO swapped in between the type check and the open could block a receive)",
                        e.toString());
            }
            return null;
        }
    }
}
