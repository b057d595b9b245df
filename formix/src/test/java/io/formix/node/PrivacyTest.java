package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.LightStore;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What heavy nodes and logs must never hold: answers and share values. */
@Timeout(60)
class PrivacyTest {

    @TempDir
    Path dir;

    @Test
    void heavyNodesNeverHoldAnAnswerAndNoLogHoldsAShare() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            n.startAll();
            ComputationRecord c = n.propose(Duration.ofSeconds(20), 10, null);
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(15));
            assertEquals(Status.REVEALED, end.status());
            Map<PartyId, Integer> answers = n.answers(c.id());
            assertEquals(10, answers.size());
            List<Long> shareValues = new ArrayList<>();
            for (PartyId light : answers.keySet()) {
                try (LightStore s = LightStore.open(n.home, light)) {
                    for (int sh : s.entry(c.id()).orElseThrow().shares()) {
                        shareValues.add(Integer.toUnsignedLong(sh));
                    }
                }
            }
            for (NodeRecord h : n.cliDb.nodes(Role.HEAVY)) {
                try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + n.home.nodeDb(h.uid()))) {
                    for (String table : tables(db)) {
                        try (Statement st = db.createStatement();
                                ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                            ResultSetMetaData md = rs.getMetaData();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                assertFalse(
                                        md.getColumnName(i).toLowerCase().contains("answer"),
                                        h.uid() + " node.db has an answer column in " + table);
                            }
                            int lightCol = column(md, "light");
                            while (rs.next() && lightCol > 0) {
                                String light = rs.getString(lightCol);
                                Integer answer = answers.get(PartyId.of(light));
                                for (int i = 1; i <= md.getColumnCount(); i++) {
                                    if (i != lightCol && answer != null && rs.getObject(i) instanceof Number num) {
                                        assertNotEquals(
                                                answer.longValue(),
                                                num.longValue(),
                                                h.uid() + "." + table + "." + md.getColumnName(i) + " equals " + light
                                                        + "'s answer");
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (NodeRecord node : n.cliDb.nodes(null)) {
                String log = n.log(node.uid().value());
                for (long v : shareValues) {
                    assertFalse(
                            Pattern.compile("\\b" + v + "\\b").matcher(log).find(),
                            node.uid() + "'s log contains a share value");
                }
            }
        }
    }

    private static List<String> tables(Connection db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static int column(ResultSetMetaData md, String name) throws Exception {
        for (int i = 1; i <= md.getColumnCount(); i++) {
            if (md.getColumnName(i).equals(name)) {
                return i;
            }
        }
        return 0;
    }
}
