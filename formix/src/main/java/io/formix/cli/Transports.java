package io.formix.cli;

import io.formix.node.TransportFactory;
import io.formix.state.NetworkDb;
import io.formix.transport.file.FileTransport;
import java.time.Duration;

/**
 * The transport factory named by {@code --transport}: {@code file} (default; every node's channels
 * under the data dir, which any folder sync can carry) or {@code tcp} (each node listens on an
 * ephemeral port recorded in {@code network.db}'s {@code tcp_port} column; peers are resolved there).
 */
final class Transports {

    private Transports() {
    }

    static TransportFactory factory(Main main, NetworkDb net) {
        String name = main.transportName();
        if (name.equals("tcp")) {
            return TcpTransports.factory(net);
        }
        return self -> FileTransport.builder(main.formixHome().dataDir(), self)
                .rescanInterval(Duration.ofSeconds(1))
                .open();
    }
}
