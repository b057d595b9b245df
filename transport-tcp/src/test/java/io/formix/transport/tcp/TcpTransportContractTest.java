package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportContractTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The Transport contract in directory mode: parties on 127.0.0.1 ephemeral ports, a map as resolver. */
class TcpTransportContractTest extends TransportContractTest {

    private final Map<PartyId, InetSocketAddress> directory = new ConcurrentHashMap<>();

    static TcpOptions testOptions(int max) {
        return TcpOptions.defaults().withMaxMessageBytes(max).withConnectTimeout(Duration.ofSeconds(10));
    }

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        TcpTransport t = TcpTransport.openDirectory(self, new InetSocketAddress(loopback, 0), directory::get,
                testOptions(configuredMax()));
        directory.put(self, new InetSocketAddress(loopback, t.localPort()));
        return t;
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
