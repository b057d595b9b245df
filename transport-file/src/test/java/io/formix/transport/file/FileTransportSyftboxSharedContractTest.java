package io.formix.transport.file;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportContractTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link io.formix.transport.Transport} contract in the SyftBox layout on one shared datasites
 * folder (every party sees every datasite at once, as on one machine): the layout's names, markers
 * and acknowledgements without any sync delay. {@link FileTransportSyftboxSimulatedContractTest}
 * runs the same contract over the sync simulator.
 */
class FileTransportSyftboxSharedContractTest extends TransportContractTest {

    static final Map<PartyId, String> EMAILS = Map.of(A, "a@example.org", B, "b@example.org", C, "c@example.org");

    @TempDir
    Path dir;

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        return FileTransport.builder(dir.resolve("local"), self)
                .maxMessageBytes(configuredMax())
                .layout(ChannelLayout.syftbox(dir.resolve("datasites"), EMAILS.get(self), EMAILS))
                .open();
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
