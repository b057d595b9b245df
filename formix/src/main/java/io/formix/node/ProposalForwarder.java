package io.formix.node;

import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Hands proposals made in this home to their heavy node 1 when it runs on another host. */
final class ProposalForwarder {

    private final HostServices services;
    /** Proposals being handed to a remote heavy node 1 right now. */
    private final Set<String> forwarding = ConcurrentHashMap.newKeySet();

    ProposalForwarder(HostServices services) {
        this.services = services;
    }

    /**
     * Proposals made in this home whose heavy node 1 runs on another host travel to it as a sealed
     * {@code propose} message: a proposal that names its proposer ({@code comp propose --from}) from
     * that node, and only when it runs on this host (heavy node 1 records the signed sender as the
     * proposer); any other from any node running here. Once sent, the computation is {@code
     * broadcast} here (handed on) until heavy node 1's {@code result} comes back.
     *
     * @param running the nodes running on this host, by uid (only looked into when there is a proposal to forward)
     */
    void forward(Map<PartyId, NodeHost.Running> running) {
        List<ComputationRecord> proposed = new ArrayList<>();
        for (ComputationRecord c : services.net().openComputations()) {
            if (c.status() == ComputationRecord.Status.PROPOSED
                    && !forwarding.contains(c.id())
                    && services.registry().isRemote(c.heavy1())) {
                proposed.add(c);
            }
        }
        if (proposed.isEmpty() || running.isEmpty()) {
            return;
        }
        Node any = running.values().iterator().next().node();
        for (ComputationRecord c : proposed) {
            NodeHost.Running proposer = c.proposer() == null ? null : running.get(c.proposer());
            Node carrier = c.proposer() == null ? any : proposer == null ? null : proposer.node();
            if (carrier == null) {
                continue; // its proposer runs on no node of this host (maybe another host of this home)
            }
            forwarding.add(c.id());
            try {
                services.senders().execute(() -> {
                    try {
                        ComputeBody body = new ComputeBody(
                                c.prompt(),
                                ResponseSchema.parse(c.schema()),
                                c.scheme(),
                                c.threshold(),
                                c.deadline(),
                                c.graceMs(),
                                c.heavy(),
                                List.of(),
                                c.query(),
                                c.dpEpsilon());
                        if (carrier.send(Envelope.of(
                                        MessageType.PROPOSE, carrier.uid, c.heavy1(), c.id(), body.toJson()))
                                && services.net().advance(c.id(), ComputationRecord.Status.BROADCAST, -1)) {
                            carrier.log.info("computation " + c.id() + ": proposal sent to heavy node 1 (" + c.heavy1()
                                    + ") on another host");
                        }
                    } catch (RuntimeException e) {
                        carrier.log.warn(
                                "computation " + c.id() + ": could not forward the proposal: " + e.getMessage());
                    } finally {
                        forwarding.remove(c.id());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                forwarding.remove(c.id());
            }
        }
    }
}
