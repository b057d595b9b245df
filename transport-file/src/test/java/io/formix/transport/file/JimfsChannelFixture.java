package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared setup of the single-channel file transport tests: parties {@link #A} and {@link #B} on a
 * fresh Jimfs ({@link TestFiles#jimfs()}) under {@code /r}, the channel folder {@link #ab}, and
 * every transport opened through {@link #open} closed after each test, then the file system.
 */
abstract class JimfsChannelFixture {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final Duration WAIT = Duration.ofSeconds(10);

    final FileSystem fs = TestFiles.jimfs();
    final Path root = fs.getPath("/r");
    final Path ab = root.resolve("a_to_b");
    private final List<FileTransport> opened = new ArrayList<>();

    /** Opens {@code b} and closes the transport after the test. */
    FileTransport open(FileTransport.Builder b) throws IOException {
        FileTransport t = b.open();
        opened.add(t);
        return t;
    }

    @AfterEach
    void closeTransportsAndFileSystem() throws IOException {
        for (FileTransport t : opened) {
            t.close();
        }
        fs.close();
    }

    /** Everything a receiver could take in {@link #ab}: names that are not hidden, sorted. */
    List<String> visible() throws IOException {
        return TestFiles.names(ab).stream().filter(n -> !n.startsWith(".")).toList();
    }
}
