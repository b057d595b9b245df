package io.formix.transport.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file-system writes a sender makes, as a seam: tests substitute failures (disk full,
 * permission denied) that cannot be provoked for real when running as root.
 */
interface FileOps {

    /**
     * Creates {@code file} afresh (a leftover entry of that name is removed, never followed, and the
     * creation retried)
     * and writes {@code header} then {@code payload}; forces it if asked.
     */
    void write(Path file, byte[] header, byte[] payload, boolean force) throws IOException;

    /** Renames {@code from} to {@code to} atomically. */
    void moveAtomic(Path from, Path to) throws IOException;

    /** Creates the empty file {@code file}; fails if it exists. */
    void createEmpty(Path file) throws IOException;

    /**
     * Creates {@code link} as a hard link to the file {@code existing} (not followed if a link);
     * fails with {@link FileAlreadyExistsException} if {@code link} exists.
     */
    default void createLink(Path link, Path existing) throws IOException {
        Files.createLink(link, existing);
    }

    /**
     * Creates the marker {@code file} holding {@code content} (empty for wire format v1); fails if
     * it exists. A non-empty marker is written by one write of a few dozen bytes; a reader that
     * sees it short waits for it.
     */
    default void createMarker(Path file, byte[] content) throws IOException {
        if (content.length == 0) {
            createEmpty(file);
            return;
        }
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** Forces the directory entry changes of {@code dir} to disk, where the platform allows it. */
    void forceDirectory(Path dir) throws IOException;

    /** The real operations. */
    FileOps REAL = new FileOps() {
        @Override
        public void write(Path file, byte[] header, byte[] payload, boolean force) throws IOException {
            FileChannel opened;
            try {
                opened = createNew(file);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(file); // a leftover (or a planted link, FIFO …): removed itself, never followed
                opened = createNew(file);
            }
            try (FileChannel ch = opened) {
                ByteBuffer[] bufs = {ByteBuffer.wrap(header), ByteBuffer.wrap(payload)};
                long left = (long) header.length + payload.length;
                while (left > 0) {
                    left -= ch.write(bufs);
                }
                if (force) {
                    ch.force(true);
                }
            }
        }

        private FileChannel createNew(Path file) throws IOException {
            return FileChannel.open(
                    file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void moveAtomic(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void createEmpty(Path file) throws IOException {
            Files.createFile(file);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            if (!dir.getFileSystem().equals(java.nio.file.FileSystems.getDefault())) {
                return; // in-memory file systems (Jimfs) have nothing to force and cannot open folders
            }
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    };
}
