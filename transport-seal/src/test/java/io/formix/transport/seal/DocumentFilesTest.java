package io.formix.transport.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Documents in the shared folder: bounded, no links, published whole. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DocumentFilesTest {

    @TempDir
    Path tmp;

    @Test
    void writtenDocumentsReadBackAndVerify() throws Exception {
        Fixture f = new Fixture();
        Path file = tmp.resolve("network.json");
        DocumentFiles.write(file, f.network.sign(f.admin));
        assertEquals(
                f.net,
                NetworkDescriptor.verify(DocumentFiles.read(file), f.admin.fingerprint())
                        .networkId());
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temp file left");
        }
    }

    @Test
    void oversizedLinkedOrSpecialFilesAreNotRead() throws Exception {
        Path big = tmp.resolve("big.json");
        Files.write(big, new byte[DocumentFiles.MAX_BYTES + 1]);
        assertTrue(assertThrows(IOException.class, () -> DocumentFiles.read(big))
                .getMessage()
                .contains("more than"));
        Path target = tmp.resolve("t.json");
        Files.writeString(target, "{}");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), target);
        assertThrows(IOException.class, () -> DocumentFiles.read(link));
        Path fifo = tmp.resolve("fifo.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertThrows(IOException.class, () -> DocumentFiles.read(fifo));
        assertThrows(IOException.class, () -> DocumentFiles.read(tmp));
        assertArrayEquals("{}".getBytes(), DocumentFiles.read(target));
    }

    @Test
    void documentsOfEverySizeUpToTheBoundReadBackWhole() throws Exception {
        // The read buffer is sized as the file: the edges of that sizing read back byte for byte.
        for (int size : new int[] {0, 1, 700, DocumentFiles.MAX_BYTES - 1, DocumentFiles.MAX_BYTES}) {
            byte[] doc = new byte[size];
            java.util.Arrays.fill(doc, (byte) 'x');
            if (size > 0) {
                doc[size - 1] = 'y';
            }
            Path f = tmp.resolve("doc-" + size + ".json");
            Files.write(f, doc);
            assertArrayEquals(doc, DocumentFiles.read(f), size + " bytes");
        }
    }
}
