package io.formix.transport;

class InMemoryTransportContractTest extends TransportContractTest {
    private final InMemoryNetwork network = new InMemoryNetwork(configuredMax(), 1024);

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        return network.open(self);
    }

    /** A full per-sender queue (1024 messages) blocks the sender. */
    @Override
    protected boolean sendCanBlock() {
        return true;
    }

    @Override
    protected int blockingSendPayloadBytes() {
        return 16;
    }
}
