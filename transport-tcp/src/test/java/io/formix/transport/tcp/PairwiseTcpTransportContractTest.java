package io.formix.transport.tcp;

import io.formix.transport.FreePorts;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.util.List;

/** The Transport contract in the pairwise (sbproxy) layout: a, b, c are pids 0, 1, 2 on a free base port. */
class PairwiseTcpTransportContractTest extends TcpContractTestBase {

    private final int base = FreePorts.pairwiseBase(3);

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        List<PartyId> ids = List.of(A, B, C);
        PairwiseLayout layout =
                PairwiseLayout.numeric(ids.indexOf(self), 3, base).withParties(ids);
        return TcpTransport.openPairwise(layout, testOptions(configuredMax()));
    }
}
