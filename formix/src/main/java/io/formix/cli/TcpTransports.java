package io.formix.cli;

import io.formix.node.TransportFactory;
import io.formix.state.NetworkDb;

/** The tcp transport factory (see {@link Transports}). */
final class TcpTransports {

    private TcpTransports() {
    }

    static TransportFactory factory(NetworkDb net) {
        throw new CliException(ExitCodes.USAGE, "the tcp transport is not merged into this build yet — use --transport file");
    }
}
