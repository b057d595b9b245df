package io.formix.proxy;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.ChannelLayout;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.file.Path;

/** The proxy's file side: a {@link FileTransport} for party {@code self} on the shared folder. */
final class FileChannels {
    private FileChannels() {}

    /** The launcher's opener: the default layout, or the one {@code --layout} chose. */
    static final TransportOpener OPENER = new TransportOpener() {
        @Override
        public Transport open(Path dataDir, PartyId self, int maxMessageBytes, boolean durable, Path stateDir)
                throws IOException {
            return FileChannels.open(dataDir, self, maxMessageBytes, durable, stateDir);
        }

        @Override
        public Transport open(
                Path dataDir, PartyId self, int maxMessageBytes, boolean durable, Path stateDir, ChannelLayout layout)
                throws IOException {
            return FileTransport.builder(dataDir, self)
                    .maxMessageBytes(maxMessageBytes)
                    .durable(durable)
                    .stateDir(stateDir)
                    .layout(layout)
                    .open();
        }
    };

    /** A {@link TransportOpener} for {@link FileTransport}; see {@link TransportOpener#open}. */
    static Transport open(Path dataDir, PartyId self, int maxMessageBytes, boolean durable, Path stateDir)
            throws IOException {
        return FileTransport.builder(dataDir, self)
                .maxMessageBytes(maxMessageBytes)
                .durable(durable)
                .stateDir(stateDir)
                .open();
    }
}
