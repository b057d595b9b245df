package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.formix.transport.Message;
import io.formix.transport.MessageTooLargeException;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileTransport#sendNumbered}: the payload is made for the number the receiver will see. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NumberedSendTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    @Test
    void buildGetsTheNumberTheReceiverSeesAndAFailedSendLeavesItFree() throws Exception {
        try (FileTransport a =
                        FileTransport.builder(root, A).maxMessageBytes(64).open();
                FileTransport b = FileTransport.builder(root, B)
                        .rescanInterval(Duration.ofMillis(50))
                        .open()) {
            List<Long> asked = new ArrayList<>();
            assertEquals(0, a.sendNumbered(B, n -> {
                asked.add(n);
                return numbered((int) n, 8);
            }));
            assertThrows(
                    MessageTooLargeException.class,
                    () -> a.sendNumbered(B, n -> {
                        asked.add(n);
                        return new byte[65];
                    }));
            IOException refused = assertThrows(
                    IOException.class,
                    () -> a.sendNumbered(B, n -> {
                        asked.add(n);
                        throw new IOException("no key for " + n);
                    }));
            assertEquals("no key for 1", refused.getMessage());
            assertFalse(Files.exists(root.resolve("a_to_b/00000001.msg")), "nothing written for a failed build");
            assertEquals(1, a.sendNumbered(B, n -> {
                asked.add(n);
                return numbered((int) n, 8);
            }));
            assertEquals(List.of(0L, 1L, 1L, 1L), asked, "a failed send leaves its number free");
            for (int i = 0; i < 2; i++) {
                Message m = b.receive(A, WAIT).orElseThrow();
                assertEquals(i, m.sequence());
                assertEquals(i, number(m.payload()), "the payload was made for its own number");
            }
            assertEquals(2, a.stats().sent());
            assertThrows(IllegalArgumentException.class, () -> a.sendNumbered(A, n -> new byte[0]));
        }
    }
}
