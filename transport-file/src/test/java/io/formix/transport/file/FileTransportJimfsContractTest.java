package io.formix.transport.file;

import java.nio.file.FileSystem;
import java.nio.file.Path;

/**
 * The {@link io.formix.transport.Transport} contract on an in-memory Jimfs file system. The file
 * system is left to the garbage collector: the suite closes its transports after this class's
 * own {@code @AfterEach} methods would run.
 */
class FileTransportJimfsContractTest extends FileTransportContractTestBase {

    private final FileSystem fs = TestFiles.jimfs();
    private final Path root = fs.getPath("/channels");

    @Override
    Path root() {
        return root;
    }
}
