package io.formix.transport.seal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Private key files: created with mode 0600 from the first byte (never chmod after writing), in a
 * 0700 directory, renamed into place whole; read only from regular files that no symbolic link
 * leads to and that group and others cannot access.
 */
final class KeyFiles {

    /** No key file is larger; anything bigger is refused before it is read. */
    static final int MAX_KEY_FILE_BYTES = 4096;

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private KeyFiles() {}

    /** Creates {@code dir} with mode 0700 if it is absent, then checks it as {@link #checkDirectory} does. */
    static void prepareDirectory(Path dir) throws IOException {
        requirePosix(dir);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } catch (FileAlreadyExistsException raced) {
                // someone created it meanwhile: checked below like any existing directory
            }
        }
        checkDirectory(dir);
    }

    /**
     * @throws UnsafeKeyFileException if {@code dir} is a symbolic link, not a directory, or open to
     *     group or others
     */
    static void checkDirectory(Path dir) throws IOException {
        requirePosix(dir);
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new UnsafeKeyFileException("key directory " + dir + " is a symbolic link; refusing to follow it");
        }
        if (!a.isDirectory()) {
            throw new UnsafeKeyFileException("key directory " + dir + " is not a directory");
        }
        if (!disjoint(a.permissions())) {
            throw new UnsafeKeyFileException("key directory " + dir + " is accessible by group or others (mode "
                    + mode(a.permissions()) + "); run: chmod 700 " + dir);
        }
    }

    /**
     * Writes {@code content} to the new file {@code file}, mode 0600, atomically: a temp file created
     * with that mode (O_EXCL, so never through a link), forced to disk, then renamed into place.
     *
     * @throws FileAlreadyExistsException if {@code file} exists (keys are never overwritten)
     */
    static void writeNew(Path file, byte[] content) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString(), null, "key file exists; keys are never overwritten");
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + Bytes.hex(Bytes.random(4)) + ".tmp");
        try {
            try (SeekableByteChannel ch = Files.newByteChannel(
                    tmp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_FILE))) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ((FileChannel) ch).force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces the existing key file {@code file} with {@code content}, atomically and with mode
     * 0600 from the first byte, as {@link #writeNew} writes a new one. Used only to shorten a key's
     * expiry (rotation); the private key in it stays the same.
     */
    static void replace(Path file, byte[] content) throws IOException {
        readPrivate(file); // the file must be a key file we may read: no link, owner-only
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + Bytes.hex(Bytes.random(4)) + ".tmp");
        try {
            try (SeekableByteChannel ch = Files.newByteChannel(
                    tmp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_FILE))) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ((FileChannel) ch).force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a private key file.
     *
     * @throws UnsafeKeyFileException if it is a symbolic link, not a regular file, accessible by
     *     group or others, larger than {@link #MAX_KEY_FILE_BYTES}, or replaced while read
     */
    static byte[] readPrivate(Path file) throws IOException {
        PosixFileAttributes before = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (before.isSymbolicLink()) {
            throw new UnsafeKeyFileException("key file " + file + " is a symbolic link; refusing to follow it");
        }
        if (!before.isRegularFile()) {
            throw new UnsafeKeyFileException("key file " + file + " is not a regular file");
        }
        if (!disjoint(before.permissions())) {
            throw new UnsafeKeyFileException("key file " + file + " is readable by group or others (mode "
                    + mode(before.permissions()) + "); run: chmod 600 " + file);
        }
        if (before.size() > MAX_KEY_FILE_BYTES) {
            throw new UnsafeKeyFileException("key file " + file + " holds " + before.size()
                    + " bytes, more than a key file ever does (" + MAX_KEY_FILE_BYTES + ")");
        }
        ByteBuffer buf = ByteBuffer.allocate(MAX_KEY_FILE_BYTES + 1);
        try (SeekableByteChannel ch = Files.newByteChannel(
                file, Set.<java.nio.file.OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read to the end or one byte past the bound
            }
        }
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!Objects.equals(before.fileKey(), after.fileKey()) || buf.position() > MAX_KEY_FILE_BYTES) {
            throw new UnsafeKeyFileException("key file " + file + " changed while it was read");
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    private static void requirePosix(Path p) throws IOException {
        if (!p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            throw new UnsafeKeyFileException(
                    "key storage needs a POSIX file system (owner-only permissions); " + p + " is not on one");
        }
    }

    private static boolean disjoint(Set<PosixFilePermission> perms) {
        for (PosixFilePermission p : perms) {
            if (GROUP_OR_OTHER.contains(p)) {
                return false;
            }
        }
        return true;
    }

    static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", m);
    }
}
