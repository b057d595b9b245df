package io.formix.transport.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The SyftBox layout's acknowledgement file {@code ack.request}: the ASCII line {@code <c>\n}, c the
 * receiver's cursor (every message numbered below c was consumed). The receiver writes it in its
 * own datasite through a temp file SyftBox ignores ({@code .ack.tmp}) and an atomic rename; the
 * sender reads it from its copy of the receiver's datasite, never through a link, at most
 * {@link #MAX_BYTES} bytes.
 */
final class Acks {

    static final int MAX_BYTES = 32;
    /** {@link #read}: there is no acknowledgement file. */
    static final long MISSING = -1;
    /** {@link #read}: the file is not one acknowledgement line. */
    static final long MALFORMED = -2;
    /** {@link #read}: the file is longer than any acknowledgement. */
    static final long TOO_LONG = -3;

    static final String TEMP = ".ack.tmp";

    private Acks() {}

    /**
     * The acknowledged count, or {@link #MISSING}, {@link #MALFORMED} or {@link #TOO_LONG}.
     *
     * @throws RegularFiles.NotRegularFileException if the entry is a link, FIFO, folder …
     */
    static long read(Path file) throws IOException {
        byte[] b = new byte[MAX_BYTES];
        int len;
        try (RegularFiles.Handle h = RegularFiles.open(file)) {
            if (h.size() > MAX_BYTES) {
                return TOO_LONG;
            }
            len = (int) h.size();
            h.readFully(b, 0, len, 0);
        } catch (NoSuchFileException | EOFException e) {
            return MISSING;
        }
        if (len < 2 || len > 20 || b[len - 1] != '\n') {
            return MALFORMED;
        }
        long v = 0;
        for (int i = 0; i < len - 1; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return MALFORMED;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    static String describe(long code) {
        return code == TOO_LONG ? "longer than " + MAX_BYTES + " bytes" : "not one line with a number";
    }

    /** Writes {@code value} to {@code file} (temp file, then atomic rename; forced if asked). */
    static void write(Path file, long value, boolean force) throws IOException {
        Path temp = file.resolveSibling(TEMP);
        byte[] line = (value + "\n").getBytes(StandardCharsets.US_ASCII);
        FileChannel ch;
        try {
            ch = FileChannel.open(
                    temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            SafeFiles.removeEntry(temp); // a leftover (or something planted): removed itself, never followed
            ch = FileChannel.open(
                    temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
        try (FileChannel c = ch) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                c.write(buf);
            }
            if (force) {
                c.force(true);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
