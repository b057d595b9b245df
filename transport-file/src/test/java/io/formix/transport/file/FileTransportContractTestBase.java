package io.formix.transport.file;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportContractTest;
import java.nio.file.Path;

/** What both file system variants tell the contract suite: how a party opens, and that it is durable. */
abstract class FileTransportContractTestBase extends TransportContractTest {

    /** The folder the channel folders live in. */
    abstract Path root();

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        return FileTransport.builder(root(), self)
                .maxMessageBytes(configuredMax())
                .open();
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
