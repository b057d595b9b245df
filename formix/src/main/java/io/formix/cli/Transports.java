package io.formix.cli;

import io.formix.node.TransportFactory;
import io.formix.state.NetworkDb;

/** The transport factory named by {@code --transport}. */
final class Transports {

    private Transports() {
    }

    static TransportFactory factory(Main main, NetworkDb net) {
        String name = main.transportName();
        throw new CliException(ExitCodes.ERROR, "transport " + name + " is not built into this formix yet");
    }
}
