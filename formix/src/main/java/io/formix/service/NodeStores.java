package io.formix.service;

import io.formix.service.ServiceException.Kind;
import io.formix.state.FormixHome;
import io.formix.state.HeavyStore;
import io.formix.state.LightStore;
import io.formix.state.NodeRecord;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A local node's private database ({@code nodes/<uid>/node.db}), as its owner reads it and, for a
 * light node, decides on a pending computation. Only the owner's home holds it.
 */
final class NodeStores {

    private final FormixHome home;

    NodeStores(FormixHome home) {
        this.home = home;
    }

    /** The computations a heavy node holds; empty before it ever ran. */
    List<NodeDetail.HeavyEntry> heavyEntries(NodeRecord r) {
        List<NodeDetail.HeavyEntry> items = new ArrayList<>();
        if (Files.exists(home.nodeDb(r.uid()))) {
            try (HeavyStore s = HeavyStore.open(home, r.uid())) {
                for (HeavyStore.Entry e : s.all()) {
                    items.add(new NodeDetail.HeavyEntry(
                            e.id(),
                            e.myIndex(),
                            e.state().label(),
                            s.shareHolders(e.id()).size()));
                }
            }
        }
        return items;
    }

    /** A light node's answers and the computations it received, in the order received. */
    void lightEntries(NodeRecord r, List<NodeDetail.Answer> answers, List<NodeDetail.LightEntry> computations) {
        if (!Files.exists(home.nodeDb(r.uid()))) {
            return;
        }
        try (LightStore s = LightStore.open(home, r.uid())) {
            for (LightStore.Entry e : s.all()) {
                if (e.answer() != null) {
                    answers.add(new NodeDetail.Answer(e.id(), e.answer()));
                } else if (e.asked() != null && e.asked().cells() != null) {
                    answers.add(NodeDetail.Answer.ofQuery(
                            e.id(), e.asked().query(), e.asked().cells()));
                }
                computations.add(new NodeDetail.LightEntry(e.id(), e.state().label(), e.prompt()));
            }
        }
    }

    /**
     * Records the owner's decision on a pending computation in the light node's database; the
     * running node answers (or declines) at its next tick.
     */
    void decide(NodeRecord r, String id, boolean approve) {
        String node = r.uid().value();
        if (!Files.exists(home.nodeDb(r.uid()))) {
            throw new ServiceException(Kind.NOT_FOUND, node + " has not received " + id + " — is it running?");
        }
        try (LightStore s = LightStore.open(home, r.uid())) {
            LightStore.Entry e = s.entry(id)
                    .orElseThrow(() -> new ServiceException(
                            Kind.NOT_FOUND,
                            node + " has not received " + id + " — is it running? (formix node start " + node + ")"));
            if (!s.decide(id, approve, approve ? null : "declined by the owner")) {
                throw new ServiceException(
                        Kind.REFUSED, id + " is already " + e.state().label() + " on " + node);
            }
        }
    }
}
