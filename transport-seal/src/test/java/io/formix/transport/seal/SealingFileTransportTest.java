package io.formix.transport.seal;

import static io.formix.transport.seal.Fixture.A;
import static io.formix.transport.seal.Fixture.B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportContractTest;
import io.formix.transport.file.FileTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealing over the real file transport on disk: what lands in the folder, a copied file, and the
 * {@link io.formix.transport.Transport} contract including its restart cases.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SealingFileTransportTest {

    private static final Fixture FIXTURE = new Fixture(Instant.now());

    @TempDir
    Path root;

    private final List<Transport> opened = new ArrayList<>();
    private final List<Rejection> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Transport t : opened) {
            t.close();
        }
    }

    private SealingTransport open(PartyId self) throws Exception {
        SealingTransport t = SealingTransport.builder(
                        FileTransport.builder(root, self).open(),
                        FIXTURE.keys.get(self),
                        FIXTURE.net,
                        FIXTURE.directory())
                .rejectionListener(rejections::add)
                .build();
        opened.add(t);
        return t;
    }

    @Test
    void theFolderHoldsNoPlaintextAndACopiedFileIsIgnored() throws Exception {
        SealingTransport a = open(A);
        SealingTransport b = open(B);
        byte[] secret = "share of light-1: 2718281828".getBytes(StandardCharsets.UTF_8);
        a.send(B, secret);
        Path channel = root.resolve("a_to_b");
        byte[] file = Files.readAllBytes(channel.resolve("00000000.msg"));
        assertEquals(-1, new String(file, StandardCharsets.ISO_8859_1).indexOf("2718281828"), "no plaintext on disk");
        assertEquals("FXS2", new String(file, 8, 4, StandardCharsets.US_ASCII), "the frame holds an envelope");
        // The operator copies the file to the next number, the way the file transport would write it.
        Path tmp = channel.resolve(".copy.tmp");
        Files.copy(channel.resolve("00000000.msg"), tmp);
        Files.move(tmp, channel.resolve("00000001.msg"), StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(channel.resolve("00000001.ready"));
        Message m = b.receive(A, Duration.ofSeconds(20)).orElseThrow();
        assertArrayEquals(secret, m.payload());
        assertTrue(b.receive(A, Duration.ofMillis(300)).isEmpty(), "the copy is not delivered");
        assertEquals(1, b.duplicateCount());
        assertEquals(Step.DUPLICATE, rejections.get(0).step());
        assertEquals(1, rejections.get(0).sequence());
    }

    @Test
    void aLargeMessageTravelsAsABulkEnvelopeAndASmallOneAsVersionOne() throws Exception {
        SealingTransport a = open(A);
        SealingTransport b = open(B);
        byte[] big = new byte[1 << 20];
        new java.util.Random(7).nextBytes(big);
        byte[] small = "decline".getBytes(StandardCharsets.UTF_8);
        a.send(B, big);
        a.send(B, small);
        Path channel = root.resolve("a_to_b");
        // The frame holds the envelope after its 8-byte frame header; byte 4 of the envelope is its version.
        assertEquals(Envelope.VERSION_BULK, Files.readAllBytes(channel.resolve("00000000.msg"))[8 + 4]);
        assertEquals(Envelope.VERSION, Files.readAllBytes(channel.resolve("00000001.msg"))[8 + 4]);
        assertArrayEquals(
                big, b.receive(A, Duration.ofSeconds(20)).orElseThrow().payload());
        assertArrayEquals(
                small, b.receive(A, Duration.ofSeconds(20)).orElseThrow().payload());
        assertTrue(rejections.isEmpty(), rejections.toString());
    }

    /** The whole contract, durable cases included, over files on disk. */
    @Nested
    class Contract extends TransportContractTest {
        @Override
        protected Transport openTransport(PartyId self) throws Exception {
            return SealingTransport.builder(
                            FileTransport.builder(root, self)
                                    .maxMessageBytes(configuredMax() + SealingTransport.MAX_OVERHEAD_BYTES)
                                    .open(),
                            FIXTURE.keys.get(self),
                            FIXTURE.net,
                            FIXTURE.directory())
                    .build();
        }

        @Override
        protected boolean durable() {
            return true;
        }
    }
}
