package io.formix.node;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;

/**
 * Opens the transport endpoint of one node. The same node code runs over every backend:
 * {@code file} (the default), {@code tcp} and {@code memory} (one JVM, tests).
 */
@FunctionalInterface
public interface TransportFactory {

    /**
     * Opens the endpoint of {@code self}.
     *
     * @throws io.formix.transport.ChannelLockedException if another process already runs {@code self}
     */
    Transport open(PartyId self) throws IOException;

    /** Called once after {@link #open} for a node, so backends can publish an address. */
    default void opened(PartyId self, Transport transport) {
    }
}
