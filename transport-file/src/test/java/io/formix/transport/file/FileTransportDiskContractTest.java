package io.formix.transport.file;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link io.formix.transport.Transport} contract on a real temporary folder (inotify). Forced
 * writes ({@code durable(true)}) are exercised on disk by {@link DurableModeTest}; here they would
 * only make the suite slow on a shared disk.
 */
class FileTransportDiskContractTest extends TransportContractTest {

    @TempDir
    Path root;

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        return FileTransport.builder(root, self).maxMessageBytes(configuredMax()).open();
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
