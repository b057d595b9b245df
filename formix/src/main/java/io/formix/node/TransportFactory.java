package io.formix.node;

import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.util.Collection;

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

    /**
     * What an endpoint refuses on its own, told to its node: a line for the node's log, and each
     * message refused before the protocol saw it (for {@code formix node show}).
     */
    @FunctionalInterface
    interface Events {
        /** A line for the node's log. */
        void warn(String line);

        /** A message from {@code from} the endpoint refused (e.g. it failed authentication), with why. */
        default void refused(PartyId from, String reason) {}
    }

    /**
     * Opens the endpoint of {@code self}, telling {@code events} what the endpoint refuses on its
     * own, such as a message that fails authentication. Defaults to {@link #open(PartyId)}.
     */
    default Transport open(PartyId self, Events events) throws IOException {
        return open(self);
    }

    /**
     * How the host hears that the endpoint {@code opened} of {@code self} may have a message to
     * receive, so that a few shared threads serve all its light nodes ({@link SharedReceivers})
     * instead of a receiver thread each; null when the backend cannot tell (the node then gets a
     * receiver thread of its own). The file backend tells.
     */
    default Arrivals arrivals(PartyId self, Transport opened) {
        return null;
    }

    /** Where an endpoint signals that a message may have arrived. */
    @FunctionalInterface
    interface Arrivals {
        /**
         * Calls {@code listener} (which never blocks) whenever a message may have become
         * receivable, until replaced; null stops it. Calls may be spurious, and a message the
         * backend only finds by its periodic rescan may come without one: the rescan runs in a
         * receive, so the host also receives from every node at least once per receive poll.
         */
        void listen(Runnable listener);
    }

    /** Called once after {@link #open} for a node, so backends can publish an address. */
    default void opened(PartyId self, Transport transport) {}

    /**
     * Called once after a host has opened its nodes' transports and before its nodes start, with
     * the hosted nodes and every registered node, so a backend can set up what the protocol will
     * need (the file backend creates the channel folders between light and heavy nodes up front:
     * one burst of folder events at start, instead of one per new channel while a computation
     * runs; opening first keeps each transport's initial listing of the root small).
     */
    default void prepare(Collection<NodeRecord> hosted, Collection<NodeRecord> all) throws IOException {}
}
