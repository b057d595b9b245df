package io.formix.transport.seal;

import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportContractTest;
import java.time.Clock;

/**
 * The {@link Transport} contract, kept by {@link SealingTransport} over {@code InMemoryTransport}:
 * the wrapped network allows {@link SealingTransport#MAX_OVERHEAD_BYTES} more than the contract's
 * maximum, so the sealed maximum is exactly the contract's.
 */
class SealingTransportContractTest extends TransportContractTest {

    private static final Fixture FIXTURE = new Fixture(java.time.Instant.now());
    private final InMemoryNetwork network =
            new InMemoryNetwork(configuredMax() + SealingTransport.MAX_OVERHEAD_BYTES, 1024);

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        // The system clock: counters must keep rising across the contract's reopen cases.
        return SealingTransport.builder(network.open(self), FIXTURE.keys.get(self), FIXTURE.net, FIXTURE.directory())
                .clock(Clock.systemUTC())
                .build();
    }

    @Override
    protected boolean sendCanBlock() {
        return true;
    }

    @Override
    protected int blockingSendPayloadBytes() {
        return 16;
    }
}
