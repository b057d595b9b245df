package io.formix.transport.file;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link io.formix.transport.Transport} contract on a real temporary folder (inotify). Forced
 * writes ({@code durable(true)}) are exercised on disk by {@link DurableModeTest}; here they would
 * only make the suite slow on a shared disk.
 */
class FileTransportDiskContractTest extends FileTransportContractTestBase {

    @TempDir
    Path root;

    @Override
    Path root() {
        return root;
    }
}
