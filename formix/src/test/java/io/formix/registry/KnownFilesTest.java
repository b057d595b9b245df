package io.formix.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A descriptor file is not read again while its size, times and file key are those of the last
 * read; any rewrite (in place, of the same size) or a link in its place is seen.
 */
@Timeout(30)
class KnownFilesTest {

    @TempDir
    Path dir;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anUnchangedFileIsNotReadAgainAndAnyRewriteIs() throws Exception {
        Path f = dir.resolve("light-0001.json");
        Files.write(f, text("{\"a\":1}"));
        long later = System.currentTimeMillis() + 3 * KnownFiles.RACY_MS;
        byte[] first = KnownFiles.read(f, later).orElseThrow();
        assertSame(first, KnownFiles.read(f, later).orElseThrow(), "the same attributes: the bytes read before");
        // Rewritten in place, the same size: the change time moves, the file is read again. (Within
        // one tick of the file system's clock it would not move: the racy rule covers that case, so
        // here the write is repeated until the tick has passed.)
        Object ctime = Files.getAttribute(f, "unix:ctime");
        do {
            Files.write(f, text("{\"a\":2}"), StandardOpenOption.TRUNCATE_EXISTING);
        } while (Files.getAttribute(f, "unix:ctime").equals(ctime));
        byte[] second = KnownFiles.read(f, System.currentTimeMillis() + 3 * KnownFiles.RACY_MS)
                .orElseThrow();
        assertArrayEquals(text("{\"a\":2}"), second);
        // A link in its place is refused as a read refuses it, the earlier bytes notwithstanding.
        Path target = dir.resolve("elsewhere.json");
        Files.write(target, text("{\"a\":2}"));
        Files.delete(f);
        Files.createSymbolicLink(f, target);
        assertThrows(IOException.class, () -> KnownFiles.read(f, Long.MAX_VALUE / 2));
        Files.delete(f);
        assertEquals(Optional.empty(), KnownFiles.read(f, Long.MAX_VALUE / 2));
    }

    @Test
    void aFileChangedWithinTheClockTickIsReadAgainEveryTime() throws Exception {
        Path f = dir.resolve("light-0002.json");
        Files.write(f, text("{\"b\":1}"));
        long now = System.currentTimeMillis(); // the file's times are this recent: not remembered
        byte[] first = KnownFiles.read(f, now).orElseThrow();
        byte[] again = KnownFiles.read(f, now).orElseThrow();
        assertNotSame(first, again);
        assertArrayEquals(first, again);
    }
}
