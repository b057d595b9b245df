package io.formix.transport.seal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Reading and publishing signed documents in the shared folder. Reading is bounded before anything
 * is read ({@value #MAX_BYTES} bytes), follows no symbolic link and opens only
 * regular files, since anyone who can write to the folder may have planted something else.
 * Publishing writes a temp file and renames it, so a sync engine never carries half a document.
 */
public final class DocumentFiles {

    /** Largest document accepted. */
    public static final int MAX_BYTES = SignedDocument.MAX_BYTES;

    private DocumentFiles() {}

    /**
     * Reads a document's bytes, for {@code verify} of the matching type.
     *
     * @throws IOException if {@code file} is a symbolic link, not a regular file, or larger than
     *     {@link #MAX_BYTES} (the message says which)
     */
    public static byte[] read(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink() || !a.isRegularFile()) {
            throw new IOException("document " + file + " is not a regular file; refusing to read it");
        }
        if (a.size() > MAX_BYTES) {
            throw new IOException("document " + file + " holds " + a.size() + " bytes, more than " + MAX_BYTES);
        }
        // Sized as the file was a moment ago (a registry sync reads 10,000 small documents): one
        // byte more shows whether it grew since, and then the bound's buffer takes the rest.
        ByteBuffer buf = ByteBuffer.allocate((int) a.size() + 1);
        try (SeekableByteChannel ch =
                Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    if (buf.capacity() > MAX_BYTES) {
                        break; // one byte past the bound
                    }
                    ByteBuffer larger = ByteBuffer.allocate(MAX_BYTES + 1);
                    buf = larger.put(buf.flip());
                }
            }
        }
        if (buf.position() > MAX_BYTES) {
            throw new IOException("document " + file + " grew past " + MAX_BYTES + " bytes while it was read");
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    /** Publishes {@code document} at {@code file}: a temp file in the same folder, then a rename. */
    public static void write(Path file, byte[] document) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + Bytes.hex(Bytes.random(4)) + ".tmp");
        try {
            Files.write(tmp, document, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
