package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The Transport contract in directory mode: parties on 127.0.0.1 ephemeral ports, a map as resolver. */
class TcpTransportContractTest extends TcpContractTestBase {

    private final Map<PartyId, InetSocketAddress> directory = new ConcurrentHashMap<>();

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        TcpTransport t = TcpTransport.openDirectory(
                self, new InetSocketAddress(loopback, 0), directory::get, testOptions(configuredMax()));
        directory.put(self, new InetSocketAddress(loopback, t.localPort()));
        return t;
    }
}
