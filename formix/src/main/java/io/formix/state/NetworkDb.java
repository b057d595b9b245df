package io.formix.state;

import io.formix.state.ComputationRecord.Status;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The shared registry {@code network.db}: the {@code nodes} and {@code computations} tables
 * (schema in {@code docs/state.md}). Every method is one short transaction; conditional updates
 * ({@code WHERE status = ...}) make concurrent writers from different processes safe without
 * read-modify-write races. Thread-safe. The tables are kept by {@link NodeRows}, {@link RosterRows}
 * and {@link ComputationRows}; opening, checking and migrating the file by {@link NetworkDbFiles}.
 */
public final class NetworkDb implements AutoCloseable {

    private final Sqlite db;
    private final NodeRows nodeRows;
    private final RosterRows rosterRows;
    private final ComputationRows computationRows;

    private NetworkDb(Sqlite db) {
        this.db = db;
        this.nodeRows = new NodeRows(db);
        this.rosterRows = new RosterRows(db);
        this.computationRows = new ComputationRows(db);
    }

    /**
     * Opens {@code home/network.db}, creating it only in a home that has none and no node folders
     * either. An existing file is checked before anything is written: it must be a regular,
     * non-empty SQLite database holding the Formix tables and columns. Opened read-only when the
     * file or its folder is not writable (a read-only file system): reads work, writes fail with
     * one line naming it.
     *
     * @throws UnusableDatabaseException if the file is empty, missing while {@code nodes/} holds
     *     node folders, not SQLite, corrupt, or not a Formix database
     */
    public static NetworkDb open(FormixHome home) {
        return new NetworkDb(NetworkDbFiles.open(home));
    }

    /** How many entries {@code home/nodes/} holds (0 when it does not exist). */
    public static int nodeFolders(FormixHome home) {
        return NetworkDbFiles.nodeFolders(home);
    }

    /** Changes whenever another connection commits (see {@link Sqlite#dataVersion()}). */
    public long dataVersion() {
        return db.dataVersion();
    }

    // ---------------------------------------------------------------- nodes

    /**
     * Creates {@code count} nodes named {@code heavy-N} / {@code light-NNNN}, numbered after the
     * highest existing number of that role, in one transaction, as members of a network without a
     * roster (tests and tools that run nodes over memory; the CLI uses the tagged form and admits
     * nodes through the signed roster).
     */
    public List<NodeRecord> createNodes(Role role, int count, Approval approval, long now) {
        return nodeRows.createNodes(role, count, approval, now);
    }

    /**
     * Creates {@code count} local, not yet admitted nodes named {@code heavy-<tag>-N} /
     * {@code light-<tag>-NNNN} ({@code heavy-N} / {@code light-NNNN} when {@code tag} is null),
     * numbered after the highest existing number of that role and tag, in one transaction.
     */
    public List<NodeRecord> createNodes(Role role, int count, Approval approval, long now, String tag) {
        return nodeRows.createNodes(role, count, approval, now, tag);
    }

    /**
     * All nodes (of {@code role}, or all when null), local or not, admitted or not, in network order:
     * admitted nodes in roster order, then the others in creation order.
     */
    public List<NodeRecord> nodes(Role role) {
        return nodeRows.nodes(role);
    }

    /** The admitted nodes (of {@code role}, or all when null) in roster order: the network's members. */
    public List<NodeRecord> members(Role role) {
        return nodeRows.members(role);
    }

    /** Nodes of this home only, in network order. */
    public List<NodeRecord> localNodes(Role role) {
        return nodeRows.localNodes(role);
    }

    public Optional<NodeRecord> node(PartyId uid) {
        return nodeRows.node(uid);
    }

    /** Removes the nodes; returns how many rows went. */
    public int removeNodes(Collection<PartyId> uids) {
        return nodeRows.removeNodes(uids);
    }

    /** Records that process {@code pid} (started at {@code pidStart}) now runs these nodes. */
    public void markStarted(Collection<PartyId> uids, long pid, long pidStart, long now) {
        nodeRows.markStarted(uids, pid, pidStart, now);
    }

    /** Clears the process of these nodes, only where it is still {@code pid}. */
    public void markStopped(Collection<PartyId> uids, long pid) {
        nodeRows.markStopped(uids, pid);
    }

    /** Asks the host of these nodes to stop them (used when the host keeps other nodes running). */
    public void requestStop(Collection<PartyId> uids) {
        nodeRows.requestStop(uids);
    }

    /** Records the tcp port a node listens on. */
    public void setTcpPort(PartyId uid, int port) {
        nodeRows.setTcpPort(uid, port);
    }

    // ---------------------------------------------------------------- network membership

    /** One admitted node as the verified roster and its descriptor give it. */
    /**
     * One admitted node as the verified roster and its descriptor give it; for a local node also
     * its approval and creation time, from the node's own folder (null: defaults), so that a row
     * rebuilt after it was deleted is the row it was.
     */
    public record Member(
            PartyId uid,
            Role role,
            long position,
            String identityFingerprint,
            byte[] descriptor,
            boolean local,
            Approval approval,
            long createdAt) {}

    /** The pinned network, if this home created or joined one. */
    public Optional<NetworkPin> pin() {
        return rosterRows.pin();
    }

    /**
     * Pins this home to a network. Pinning the same network again changes nothing.
     *
     * @throws StateException if the home is already pinned to another network
     */
    public NetworkPin pin(NetworkPin pin, long now) {
        return rosterRows.pin(pin, now);
    }

    /**
     * Makes the nodes table match a verified roster, in one transaction: every member is upserted
     * (admitted, its roster position, identity fingerprint, descriptor when one was verified, local
     * or not); a local node the roster does not list stays, not admitted; any other node goes. Also
     * records {@code rosterVersion} as accepted. Remote rows hold only what the documents say, so
     * deleting them and applying the same roster gives the same rows.
     */
    public void applyRoster(long rosterVersion, List<Member> members, long now) {
        rosterRows.applyRoster(rosterVersion, members, now);
    }

    /** The verified descriptor documents of the admitted nodes, by uid. */
    public java.util.Map<PartyId, byte[]> descriptors() {
        return rosterRows.descriptors();
    }

    /** Records a local node's identity fingerprint (set when its keys are made). */
    public void setIdentity(PartyId uid, String fingerprint) {
        rosterRows.setIdentity(uid, fingerprint);
    }

    /** The identity fingerprints recorded, by uid (one query). */
    public java.util.Map<PartyId, String> identities() {
        return rosterRows.identities();
    }

    /** The identity fingerprint recorded for {@code uid}, if any. */
    public Optional<String> identity(PartyId uid) {
        return rosterRows.identity(uid);
    }

    // ---------------------------------------------------------------- computations

    /** Inserts a new computation in status {@code proposed}. */
    public void insertComputation(ComputationRecord r) {
        computationRows.insertComputation(r);
    }

    /**
     * Records a proposal that arrived as a message from {@code proposer}, in status
     * {@code proposed}; returns false if the computation was already known here.
     */
    public boolean insertProposal(ComputationRecord r, PartyId proposer) {
        return computationRows.insertProposal(r, proposer);
    }

    /** The node that sent the proposal {@code id} to heavy node 1, if it came as a message. */
    public Optional<PartyId> proposer(String id) {
        return computationRows.proposer(id);
    }

    /**
     * Records the outcome of a computation that heavy node 1 ended on another host: inserts the
     * computation if this host never saw it, then ends it (a no-op if it already ended here).
     *
     * @return whether the row changed
     */
    public boolean recordOutcome(ComputationRecord r) {
        return computationRows.recordOutcome(r);
    }

    public Optional<ComputationRecord> computation(String id) {
        return computationRows.computation(id);
    }

    /** All computations, newest first. */
    public List<ComputationRecord> computations() {
        return computationRows.computations();
    }

    /** Computations in {@code status} whose heavy node 1 is {@code heavy1}. */
    public List<ComputationRecord> computations(Status status, PartyId heavy1) {
        return computationRows.computations(status, heavy1);
    }

    /** Computations not yet revealed or failed. */
    public List<ComputationRecord> openComputations() {
        return computationRows.openComputations();
    }

    /**
     * Moves a computation to {@code to} if it is not yet final and not already past {@code to};
     * returns whether the row changed.
     */
    public boolean advance(String id, Status to, int invited) {
        return computationRows.advance(id, to, invited);
    }

    /** Records progress (shares received by heavy node 1 so far). */
    public void setAnswers(String id, int answers) {
        computationRows.setAnswers(id, answers);
    }

    /** Reveals the total; returns false if the computation had already ended. */
    public boolean reveal(String id, int total, int participants, int late, long now) {
        return computationRows.reveal(id, total, participants, late, now);
    }

    /** Reveals the typed value (JSON text) of a query's total; false if the computation had already ended. */
    public boolean revealValue(String id, String value, int participants, int late, long now) {
        return computationRows.revealValue(id, value, participants, late, now);
    }

    /** Fails the computation with {@code reason}; returns false if it had already ended. */
    public boolean fail(String id, String reason, int participants, int late, long now) {
        return computationRows.fail(id, reason, participants, late, now);
    }

    /**
     * Records how many invited light nodes never received computation {@code id}, by reason
     * ({@code unreachable: …} for the transport's verdict, {@code local error until the deadline: …}).
     */
    public void recordUndelivered(String id, java.util.Map<String, Integer> byReason) {
        computationRows.recordUndelivered(id, byReason);
    }

    /**
     * How many invited light nodes never received computation {@code id}, and why (reason → count);
     * empty when every invited light node got it, or on a host that does not run its heavy node 1.
     */
    public java.util.Map<String, Integer> undelivered(String id) {
        return computationRows.undelivered(id);
    }

    @Override
    public void close() {
        db.close();
    }
}
