package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code durable(true)} on a real disk: files and folders forced, same behaviour across restarts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurableModeTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path root;

    FileTransport open(PartyId self) throws Exception {
        return FileTransport.builder(root, self).durable(true).open();
    }

    @Test
    void forcedWritesRoundTripAndSurviveRestartsOfBothSides() throws Exception {
        try (FileTransport a = open(A);
                FileTransport b = open(B)) {
            for (int i = 0; i < 20; i++) {
                a.send(B, numbered(i, 1000 + i));
            }
            for (int i = 0; i < 10; i++) {
                Message m = b.receive(A, WAIT).orElseThrow();
                assertEquals(i, m.sequence());
                assertEquals(1000 + i, m.payload().length);
            }
        }
        Path ab = root.resolve("a_to_b");
        assertEquals(10, StateFiles.read(TestFiles.cursorFile(root, A, B)).getAsLong());
        assertEquals(20, StateFiles.read(TestFiles.nextFile(root, A, B)).getAsLong());
        try (FileTransport a = open(A);
                FileTransport b = open(B)) {
            a.send(B, numbered(20, 8));
            for (int i = 10; i <= 20; i++) {
                Message m = b.receive(A, WAIT).orElseThrow();
                assertEquals(i, m.sequence());
                assertEquals(i, number(m.payload()));
            }
            assertTrue(b.receive(A, Duration.ofMillis(100)).isEmpty());
        }
        assertTrue(TestFiles.names(ab).stream().allMatch(n -> n.startsWith(".")), "all delivered files deleted");
        assertTrue(Files.exists(TestFiles.cursorFile(root, A, B)));
    }
}
