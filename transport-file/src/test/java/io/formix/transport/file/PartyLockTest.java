package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM half of the party lock, on a file system without OS locks (Jimfs); the pid it records. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PartyLockTest {

    @Test
    void secondOpenOnJimfsIsRefusedButOtherFileSystemsAndPartiesAreIndependent() throws Exception {
        PartyId b = PartyId.of("b");
        try (FileSystem fs1 = TestFiles.jimfs();
                FileSystem fs2 = TestFiles.jimfs()) {
            FileTransport first = FileTransport.builder(fs1.getPath("/r"), b).open();
            ChannelLockedException e = assertThrows(
                    ChannelLockedException.class,
                    () -> FileTransport.builder(fs1.getPath("/r/../r"), b).open());
            assertTrue(e.getMessage().contains("/r/.formix-local/b/party.lock"), e.getMessage());
            // The same path on another file system, and another party on the same root, are free.
            FileTransport.builder(fs2.getPath("/r"), b).open().close();
            FileTransport.builder(fs1.getPath("/r"), PartyId.of("c")).open().close();
            first.close();
            FileTransport.builder(fs1.getPath("/r"), b).open().close();
        }
    }

    @Test
    void theLockFileHoldsThisPidWhateverTheLastHolderLeftInIt(@TempDir Path root) throws Exception {
        PartyId b = PartyId.of("b");
        Path lock = root.resolve(".formix-local/b/party.lock");
        String pid = Long.toString(ProcessHandle.current().pid());
        FileTransport.builder(root, b).open().close(); // makes the state folder
        for (String before : new String[] {"12345678901234567890 left by someone", "7", ""}) {
            Files.writeString(lock, before);
            FileTransport.builder(root, b).open().close();
            String now = Files.readString(lock, StandardCharsets.US_ASCII);
            assertEquals(pid, now.strip(), "after " + before);
            assertEquals(PartyLock.PID_WIDTH, now.length(), "padded, nothing of the old content left");
        }
    }
}
