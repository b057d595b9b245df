package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code comp propose --scheme}: the scheme is stored with the computation in network.db, and which
 * heavy nodes must run depends on it (additive: all three; replicated: heavy node 1 and one other).
 */
class ProposerSchemeTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void theSchemeIsStoredAndReplicatedToleratesOneOfHeavyNodes2And3Down() throws Exception {
        try (NetworkDb net = NetworkDb.open(FormixHome.of(dir))) {
            net.createNodes(Role.HEAVY, 3, Approval.AUTO, 1);
            net.createNodes(Role.LIGHT, 3, Approval.AUTO, 2);
            Predicate<io.formix.state.NodeRecord> all = r -> true;
            Predicate<io.formix.state.NodeRecord> no3 = r -> !r.uid().value().equals("heavy-3");
            Predicate<io.formix.state.NodeRecord> no1 = r -> !r.uid().value().equals("heavy-1");
            Predicate<io.formix.state.NodeRecord> no2no3 =
                    r -> r.uid().value().equals("heavy-1") || r.role() == Role.LIGHT;

            ComputationRecord plain = Proposer.propose(net, Clock.systemUTC(), request(null), all);
            assertEquals("additive-3", net.computation(plain.id()).orElseThrow().scheme());
            ComputationRecord rep = Proposer.propose(net, Clock.systemUTC(), request("replicated"), no3);
            assertEquals(
                    "replicated-2of3", net.computation(rep.id()).orElseThrow().scheme());

            ProposalException additive = assertThrows(
                    ProposalException.class, () -> Proposer.propose(net, Clock.systemUTC(), request("additive"), no3));
            assertEquals(
                    "heavy node heavy-3 is not running — start it with: formix node start heavy-3",
                    additive.getMessage());
            ProposalException heavy1 = assertThrows(
                    ProposalException.class,
                    () -> Proposer.propose(net, Clock.systemUTC(), request("replicated"), no1));
            assertEquals(
                    "heavy node heavy-1 is not running — start it with: formix node start heavy-1",
                    heavy1.getMessage());
            assertThrows(
                    ProposalException.class,
                    () -> Proposer.propose(net, Clock.systemUTC(), request("replicated"), no2no3));
            ProposalException unknown = assertThrows(
                    ProposalException.class, () -> Proposer.propose(net, Clock.systemUTC(), request("shamir"), all));
            assertEquals(
                    "unknown --scheme — use additive (needs all three heavy nodes) or replicated (survives one "
                            + "failing)",
                    unknown.getMessage());
        }
    }

    private static Proposer.Request request(String scheme) {
        return new Proposer.Request("q", null, 1, Duration.ofSeconds(30), null, null, scheme);
    }
}
