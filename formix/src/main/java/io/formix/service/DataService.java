package io.formix.service;

import io.formix.data.DataException;
import io.formix.data.DataSourceStore;
import io.formix.query.QueryException;
import io.formix.service.ServiceException.Kind;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.util.function.Function;

/**
 * The data sources of a light node of this home ({@code formix data ...}): registrations live in
 * the node's own {@code node.db}; only their descriptors may ever leave it.
 */
public final class DataService {

    private final Home home;

    public DataService(Home home) {
        this.home = home;
    }

    /**
     * Runs {@code work} on the data sources of the local light node {@code uid}. A bad uid is a
     * usage error, an unknown node not found; a heavy node, a node of another host, or a source or
     * query that is not acceptable is refused with its one-line reason.
     */
    public <T> T withSources(String uid, Function<DataSourceStore, T> work) {
        PartyId id = localLightNode(uid);
        try (DataSourceStore store = DataSourceStore.open(home.files(), id)) {
            return work.apply(store);
        } catch (DataException | QueryException e) {
            throw new ServiceException(Kind.REFUSED, e.getMessage());
        }
    }

    private PartyId localLightNode(String uid) {
        try (NetworkDb net = home.openNetwork()) {
            NodeRecord r = NodeService.find(net, uid);
            if (r.isHeavy()) {
                throw new ServiceException(
                        Kind.REFUSED,
                        r.uid() + " is a heavy node — data sources belong to light " + "nodes (e.g. light-0001)");
            }
            if (!r.local()) {
                throw new ServiceException(Kind.REFUSED, r.uid() + " runs on another host — manage its data there");
            }
            return r.uid();
        }
    }
}
