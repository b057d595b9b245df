package io.formix.transport.tcp;

import io.formix.transport.TransportContractTest;
import java.time.Duration;

/** What both TCP modes tell the contract suite: their options, and how a send blocks. */
abstract class TcpContractTestBase extends TransportContractTest {

    static TcpOptions testOptions(int max) {
        return TcpOptions.defaults().withMaxMessageBytes(max).withConnectTimeout(Duration.ofSeconds(10));
    }

    /** A receiver that does not take fills its inbox, then the socket buffers, then send blocks in the write. */
    @Override
    protected boolean sendCanBlock() {
        return true;
    }

    @Override
    protected boolean blockedInSend(Thread sender) {
        return SocketWrites.inSocketWrite(sender);
    }
}
