package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.ComputationRecord.Status;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class NetworkDbTest {

    @TempDir
    Path home;

    @Test
    void nodesAreNumberedPerRoleInCreationOrder() {
        try (NetworkDb db = NetworkDb.open(FormixHome.of(home))) {
            db.createNodes(Role.HEAVY, 3, Approval.AUTO, 1);
            db.createNodes(Role.LIGHT, 2, Approval.MANUAL, 2);
            db.createNodes(Role.LIGHT, 1, Approval.AUTO, 3);
            List<NodeRecord> lights = db.nodes(Role.LIGHT);
            assertEquals(
                    List.of("light-0001", "light-0002", "light-0003"),
                    lights.stream().map(r -> r.uid().value()).toList());
            assertEquals(Approval.MANUAL, lights.get(0).approval());
            assertEquals("heavy-3", db.nodes(Role.HEAVY).get(2).uid().value());
            assertEquals(1, db.removeNodes(List.of(PartyId.of("light-0003"))));
            assertEquals(2, db.nodes(Role.LIGHT).size());
        }
    }

    @Test
    void aComputationEndsOnceAndItsStatusNeverMovesBack() {
        try (NetworkDb db = NetworkDb.open(FormixHome.of(home))) {
            List<PartyId> heavy = List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));
            db.insertComputation(new ComputationRecord(
                    "c1", "q", "{}", 2, 10, 5, heavy, Status.PROPOSED, 0, 0, 0, -1, null, 0, 1, 0));
            assertTrue(db.advance("c1", Status.COLLECTING, 4));
            assertFalse(db.advance("c1", Status.BROADCAST, -1), "no step back");
            assertTrue(db.reveal("c1", -1, 4, 0, 99));
            assertFalse(db.fail("c1", "late", 0, 0, 100), "ended once");
            ComputationRecord r = db.computation("c1").orElseThrow();
            assertEquals(Status.REVEALED, r.status());
            assertEquals(4294967295L, r.result(), "unsigned");
            assertEquals(4, r.invited());
        }
    }

    @Test
    void anotherConnectionsCommitChangesTheDataVersion() {
        try (NetworkDb a = NetworkDb.open(FormixHome.of(home));
                NetworkDb b = NetworkDb.open(FormixHome.of(home))) {
            long v = a.dataVersion();
            b.createNodes(Role.LIGHT, 1, Approval.AUTO, 1);
            assertTrue(a.dataVersion() != v);
        }
    }

    @Test
    void applyingTheSameRosterAgainWritesNothingAndAChangeIsWritten() {
        try (NetworkDb a = NetworkDb.open(FormixHome.of(home));
                NetworkDb b = NetworkDb.open(FormixHome.of(home))) {
            a.pin(new NetworkPin("00112233445566778899aabbccddeeff", "fpr", 0, null), 1);
            a.createNodes(Role.LIGHT, 1, Approval.MANUAL, 1); // light-0001: local, not yet admitted
            PartyId local = PartyId.of("light-0001");
            PartyId remote = PartyId.of("light-r-0001");
            PartyId gone = PartyId.of("light-r-0002");
            byte[] d1 = {1, 2, 3};
            List<NetworkDb.Member> members = List.of(
                    new NetworkDb.Member(local, Role.LIGHT, 0, "fa", d1, true, Approval.MANUAL, 1),
                    new NetworkDb.Member(remote, Role.LIGHT, 1, "fb", new byte[] {4}, false, null, 0),
                    new NetworkDb.Member(gone, Role.LIGHT, 2, "fc", new byte[] {5}, false, null, 0));
            a.applyRoster(1001, members, 2);
            assertEquals(3, a.members(null).size());
            long v = b.dataVersion();
            // The same members again (descriptor arrays equal, not the same): nothing written.
            a.applyRoster(
                    1001,
                    List.of(
                            new NetworkDb.Member(local, Role.LIGHT, 0, "fa", d1.clone(), true, null, 0),
                            new NetworkDb.Member(remote, Role.LIGHT, 1, "fb", null, false, null, 0),
                            new NetworkDb.Member(gone, Role.LIGHT, 2, "fc", new byte[] {5}, false, null, 0)),
                    3);
            assertEquals(v, b.dataVersion(), "no commit that changed anything");
            assertEquals(Approval.MANUAL, a.node(local).orElseThrow().approval());
            // A new descriptor, a new position, one node dropped and the local one dropped too.
            a.applyRoster(
                    2001,
                    List.of(new NetworkDb.Member(remote, Role.LIGHT, 0, "fb", new byte[] {6}, false, null, 0)),
                    4);
            assertTrue(b.dataVersion() != v);
            assertEquals(
                    List.of(remote),
                    a.members(null).stream().map(NodeRecord::uid).toList());
            assertEquals(0, a.members(null).get(0).rosterPos());
            assertEquals(6, a.descriptors().get(remote)[0]);
            assertFalse(a.node(gone).isPresent(), "a remote node no longer listed goes");
            NodeRecord kept = a.node(local).orElseThrow();
            assertFalse(kept.admitted(), "a local node no longer listed stays, not admitted");
            assertEquals(2001, a.pin().orElseThrow().rosterVersion());
            // A row changed behind the sync's back is repaired by the next apply of the same roster.
            b.setIdentity(remote, "tampered");
            a.applyRoster(2001, List.of(new NetworkDb.Member(remote, Role.LIGHT, 0, "fb", null, false, null, 0)), 5);
            assertEquals("fb", a.identity(remote).orElseThrow());
            assertEquals(6, a.descriptors().get(remote)[0], "no new descriptor keeps the accepted one");
        }
    }

    @Test
    void aNetworkDbWithOneColumnPerHeavyNodeIsMigratedToTheHeaviesColumn() throws Exception {
        java.nio.file.Path file = FormixHome.of(home).networkDb();
        java.nio.file.Files.createDirectories(file.getParent());
        String old = NetworkDbFiles.SCHEMA
                .replace(
                        "heavies      TEXT NOT NULL,",
                        "heavy1 TEXT NOT NULL, heavy2 TEXT NOT NULL, heavy3 TEXT NOT NULL,")
                .replace(
                        "CREATE INDEX IF NOT EXISTS computations_status ON computations(status);",
                        "CREATE INDEX IF NOT EXISTS computations_pending ON computations(status, heavy1);");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            for (String stmt : old.split(";")) {
                if (!stmt.isBlank()) {
                    st.executeUpdate(stmt);
                }
            }
            st.executeUpdate(
                    "INSERT INTO computations(id, prompt, schema, threshold, deadline, grace_ms, heavy1, heavy2, "
                            + "heavy3, status, created_at) VALUES ('c1','q','{}',1,5,5,'heavy-1','heavy-2','heavy-3','proposed',1)");
        }
        try (NetworkDb db = NetworkDb.open(FormixHome.of(home))) {
            List<PartyId> heavy = List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));
            assertEquals(heavy, db.computation("c1").orElseThrow().heavy(), "the three columns became one, in order");
            assertEquals(
                    1, db.computations(Status.PROPOSED, PartyId.of("heavy-1")).size());
            assertTrue(db.computations(Status.PROPOSED, PartyId.of("heavy-2")).isEmpty());
            db.insertComputation(new ComputationRecord(
                    "c2", "q", "{}", 1, 5, 5, heavy, Status.PROPOSED, 0, 0, 0, -1, null, 0, 2, 0));
            assertEquals(heavy, db.computation("c2").orElseThrow().heavy());
            assertTrue(db.undelivered("c2").isEmpty());
            db.recordUndelivered(
                    "c2", java.util.Map.of("unreachable: gone", 2, "local error until the deadline: x", 1));
            assertEquals(
                    java.util.Map.of("unreachable: gone", 2, "local error until the deadline: x", 1),
                    db.undelivered("c2"),
                    "readable for comp show, also on a migrated network.db");
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT COUNT(*) FROM pragma_table_info('computations') WHERE name LIKE 'heavy_'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no per-index column is left");
        }
    }

    @Test
    void aNetworkDbWithoutTheSchemeColumnIsMigratedInPlaceAndItsComputationsAreAdditive() throws Exception {
        java.nio.file.Path file = FormixHome.of(home).networkDb();
        java.nio.file.Files.createDirectories(file.getParent());
        String old = NetworkDbFiles.SCHEMA.replaceAll(",\\s*scheme\\s+TEXT NOT NULL DEFAULT 'additive-3'", "");
        assertTrue(!old.contains("scheme "), "the schema of the version before the scheme column");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            for (String stmt : old.split(";")) {
                if (!stmt.isBlank()) {
                    st.executeUpdate(stmt);
                }
            }
            st.executeUpdate("INSERT INTO computations(id, prompt, schema, threshold, deadline, grace_ms, heavies, "
                    + "status, created_at) VALUES ('c1','q','{}',1,5,5,'heavy-1,heavy-2,heavy-3','revealed',1)");
        }
        try (NetworkDb db = NetworkDb.open(FormixHome.of(home))) {
            assertEquals("additive-3", db.computation("c1").orElseThrow().scheme(), "older computations were additive");
            List<PartyId> heavy = List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));
            db.insertComputation(new ComputationRecord(
                    "c2", "q", "{}", 1, 5, 5, heavy, Status.PROPOSED, 0, 0, 0, -1, null, 0, 2, 0, "replicated-2of3"));
            assertEquals("replicated-2of3", db.computation("c2").orElseThrow().scheme());
        }
    }

    @Test
    void aNetworkDbWithoutTheQueryColumnsIsMigratedInPlaceAndAQueryComputationKeepsItsValue() throws Exception {
        java.nio.file.Path file = FormixHome.of(home).networkDb();
        java.nio.file.Files.createDirectories(file.getParent());
        String old =
                NetworkDbFiles.SCHEMA.replaceAll(",\\s*query\\s+TEXT,\\s*dp_epsilon\\s+TEXT,\\s*value\\s+TEXT", "");
        assertTrue(!old.contains("dp_epsilon"), "the schema of the version before the query columns");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            for (String stmt : old.split(";")) {
                if (!stmt.isBlank()) {
                    st.executeUpdate(stmt);
                }
            }
            st.executeUpdate(
                    "INSERT INTO computations(id, prompt, schema, threshold, deadline, grace_ms, heavies, "
                            + "status, created_at, result) VALUES ('c1','q','{}',1,5,5,'heavy-1,heavy-2,heavy-3','revealed',1,7)");
        }
        try (NetworkDb db = NetworkDb.open(FormixHome.of(home))) {
            ComputationRecord c1 = db.computation("c1").orElseThrow();
            assertEquals(7, c1.result());
            assertEquals(null, c1.query());
            assertEquals(null, c1.value());
            List<PartyId> heavy = List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));
            db.insertComputation(new ComputationRecord(
                            "c2",
                            "q",
                            "{}",
                            1,
                            5,
                            5,
                            heavy,
                            Status.PROPOSED,
                            0,
                            0,
                            0,
                            -1,
                            null,
                            0,
                            2,
                            0,
                            "additive-3-z64")
                    .withQuery("{\"dataset\":\"d\"}", new java.math.BigDecimal("2")));
            assertTrue(db.revealValue("c2", "12.50", 3, 0, 9));
            assertFalse(db.revealValue("c2", "13.00", 3, 0, 10), "a computation ends once");
            ComputationRecord c2 = db.computation("c2").orElseThrow();
            assertEquals("12.50", c2.value());
            assertEquals(-1, c2.result(), "no 32-bit result for a query");
            assertEquals("{\"dataset\":\"d\"}", c2.query());
            assertEquals(new java.math.BigDecimal("2"), c2.dpEpsilon());
            // an outcome from heavy node 1 of another host: the row, its query, ε and value in one write
            assertTrue(db.recordOutcome(new ComputationRecord(
                            "c3",
                            "q",
                            "{}",
                            1,
                            5,
                            5,
                            heavy,
                            Status.REVEALED,
                            4,
                            4,
                            4,
                            -1,
                            null,
                            0,
                            2,
                            9,
                            "additive-3-z64")
                    .withQuery("{\"dataset\":\"d\"}", new java.math.BigDecimal("0.5"))
                    .withValue("{\"sum\":200.00,\"count\":6,\"mean\":33.33}")));
            ComputationRecord c3 = db.computation("c3").orElseThrow();
            assertEquals(Status.REVEALED, c3.status());
            assertEquals("{\"sum\":200.00,\"count\":6,\"mean\":33.33}", c3.value());
            assertEquals("{\"dataset\":\"d\"}", c3.query());
            assertEquals(new java.math.BigDecimal("0.5"), c3.dpEpsilon());
            assertEquals(-1, c3.result());
        }
    }
}
