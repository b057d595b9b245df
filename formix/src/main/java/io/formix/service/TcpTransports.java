package io.formix.service;

import io.formix.node.TransportFactory;
import io.formix.state.NetworkDb;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.tcp.TcpOptions;
import io.formix.transport.tcp.TcpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The tcp transport factory (see {@link Transports}): each node listens on an ephemeral loopback
 * port, which it records in {@code network.db} ({@code nodes.tcp_port}) once open; peers are
 * resolved from there before every connection attempt, so a restarted node (new port) is found
 * again. A send to a node that is down fails after {@link #CONNECT_TIMEOUT} instead of the
 * backend's 30 s, so one dead light node cannot stall a broadcast.
 */
final class TcpTransports {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private TcpTransports() {}

    /**
     * {@code sendBytes}: the largest message any node sends (what a heavy node accepts);
     * {@code receiveBytes}: the largest message each node's endpoint accepts.
     */
    static TransportFactory factory(NetworkDb net, int sendBytes, ToIntFunction<PartyId> receiveBytes) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Function<PartyId, InetSocketAddress> resolver = peer -> net.node(peer)
                .filter(r -> r.tcpPort() > 0)
                .map(r -> new InetSocketAddress(loopback, r.tcpPort()))
                .orElse(null);
        TcpOptions options = TcpOptions.defaults().withConnectTimeout(CONNECT_TIMEOUT);
        return new TransportFactory() {
            @Override
            public Transport open(PartyId self) throws IOException {
                return TcpTransport.openDirectory(
                        self,
                        new InetSocketAddress(loopback, 0),
                        resolver,
                        options.withMaxMessageBytes(sendBytes).withMaxReceiveBytes(receiveBytes.applyAsInt(self)));
            }

            @Override
            public void opened(PartyId self, Transport transport) {
                net.setTcpPort(self, ((TcpTransport) transport).localPort());
            }
        };
    }
}
