package io.formix.proxy;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.file.Path;

/** The proxy's file side: a {@link FileTransport} for party {@code self} on the shared folder. */
final class FileChannels {
    private FileChannels() {
    }

    /** A {@link TransportOpener} for {@link FileTransport}; see {@link TransportOpener#open}. */
    static Transport open(Path dataDir, PartyId self, int maxMessageBytes, boolean durable, Path stateDir)
            throws IOException {
        return FileTransport.builder(dataDir, self).maxMessageBytes(maxMessageBytes).durable(durable)
                .stateDir(stateDir).open();
    }
}
