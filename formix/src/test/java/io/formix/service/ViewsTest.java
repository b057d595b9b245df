package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.state.ComputationRecord;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON of the views: the field names, order and nulls scripts read from {@code --json}. */
class ViewsTest {

    private static List<String> fields(Object view) throws Exception {
        JsonNode n = Views.JSON.readTree(Views.json(view));
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static final NodeRecord LIGHT = new NodeRecord(
            2, PartyId.of("light-0001"), NodeRecord.Role.LIGHT, NodeRecord.Approval.MANUAL, 0, 0, 0, 0, 0, false);

    @Test
    void aNodeHasItsNineFieldsInOrderWithNullsKept() throws Exception {
        NodeView v = NodeView.of(LIGHT, "stopped");
        assertEquals(
                List.of("uid", "role", "status", "approval", "pid", "tcpPort", "createdAt", "local", "admitted"),
                fields(v));
        JsonNode n = Views.JSON.readTree(Views.json(v));
        assertEquals("light-0001", n.get("uid").asText());
        assertEquals("manual", n.get("approval").asText());
        assertEquals(true, n.get("pid").isNull());
        assertEquals(true, n.get("createdAt").isNull());
    }

    @Test
    void aNodeDetailFlattensTheNodeAndListsAnswersOnlyForLightNodes() throws Exception {
        NodeView v = NodeView.of(LIGHT, "stopped");
        NodeDetail light = new NodeDetail(
                v,
                "/h/node.db",
                "/h/node.log",
                List.of(),
                List.of(),
                List.of(new NodeDetail.Answer("c1", 42)),
                List.of(new NodeDetail.LightEntry("c1", "sent", "q?")));
        assertEquals(
                List.of(
                        "uid",
                        "role",
                        "status",
                        "approval",
                        "pid",
                        "tcpPort",
                        "createdAt",
                        "local",
                        "admitted",
                        "nodeDb",
                        "log",
                        "stalledChannels",
                        "rejectedMessages",
                        "answers",
                        "computations"),
                fields(light));
        JsonNode n = Views.JSON.readTree(Views.json(light));
        assertEquals(42, n.get("answers").get(0).get("value").asInt());
        assertEquals("q?", n.get("computations").get(0).get("prompt").asText());
        NodeDetail heavy = new NodeDetail(
                v,
                "/h/node.db",
                "/h/node.log",
                List.of(Map.of("from", "light-0002")),
                List.of(),
                null,
                List.of(new NodeDetail.HeavyEntry("c1", 1, "collecting", 3)));
        assertEquals(
                List.of(
                        "uid",
                        "role",
                        "status",
                        "approval",
                        "pid",
                        "tcpPort",
                        "createdAt",
                        "local",
                        "admitted",
                        "nodeDb",
                        "log",
                        "stalledChannels",
                        "rejectedMessages",
                        "computations"),
                fields(heavy));
        assertEquals(
                List.of("computation", "heavyIndex", "state", "shares"),
                fields(Views.JSON
                        .readTree(Views.json(heavy))
                        .get("computations")
                        .get(0)));
    }

    static ComputationRecord computation(ComputationRecord.Status status, long result, String reason, String schema) {
        return new ComputationRecord(
                "c0001",
                "how many?",
                schema,
                3,
                60_000,
                5_000,
                List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3")),
                status,
                10,
                9,
                8,
                result,
                reason,
                1,
                1_000,
                status.isFinal() ? 70_000 : 0);
    }

    @Test
    void aComputationShowsResultOnlyWhenRevealedAndReasonOnlyWhenFailed() throws Exception {
        List<String> common = List.of(
                "id",
                "status",
                "participants",
                "threshold",
                "invited",
                "answers",
                "late",
                "prompt",
                "schema",
                "heavy",
                "deadline",
                "createdAt",
                "endedAt");
        ComputationView running = ComputationView.of(
                computation(ComputationRecord.Status.COLLECTING, -1, null, "{\"type\":\"integer\"}"));
        assertEquals(common, fields(running));
        JsonNode n = Views.JSON.readTree(Views.json(running));
        assertEquals("integer", n.get("schema").get("type").asText());
        assertEquals(true, n.get("endedAt").isNull());
        assertEquals("1970-01-01T00:01:00Z", n.get("deadline").asText());
        assertEquals("heavy-1", n.get("heavy").get(0).asText());

        List<String> revealed = new ArrayList<>(common);
        revealed.add(2, "result");
        ComputationView r =
                ComputationView.of(computation(ComputationRecord.Status.REVEALED, 4_000_000_000L, null, "{}"));
        assertEquals(revealed, fields(r));
        assertEquals(
                4_000_000_000L, Views.JSON.readTree(Views.json(r)).get("result").asLong());

        List<String> failed = new ArrayList<>(common);
        failed.add(2, "reason");
        ComputationView f =
                ComputationView.of(computation(ComputationRecord.Status.FAILED, -1, "threshold not met", "not json"));
        assertEquals(failed, fields(f));
        assertEquals(
                "not json", Views.JSON.readTree(Views.json(f)).get("schema").asText());
    }

    @Test
    void theNetworkStatusLeavesOutTheNetworkOfAHomeWithoutOne() throws Exception {
        NetworkViews.Status none = new NetworkViews.Status("/h", "/h/channels", "file", Map.of(), Map.of(), null);
        assertEquals(List.of("home", "dataDir", "transport", "nodes", "computations"), fields(none));
        NetworkViews.Status one = new NetworkViews.Status(
                "/h", "/h/channels", "file", Map.of(), Map.of(), new NetworkViews.Network("fp", "net", null, 0));
        assertEquals(List.of("home", "dataDir", "transport", "nodes", "computations", "network"), fields(one));
        assertEquals(
                List.of("fingerprint", "network", "tag", "rosterVersion"),
                fields(Views.JSON.readTree(Views.json(one)).get("network")));
        assertEquals(
                List.of("uid", "kid", "seq", "previous"),
                fields(new NetworkViews.Rotation("heavy-1", "k2", 7, List.of())));
        assertEquals(List.of("admitted", "rosterVersion"), fields(new NetworkViews.Admitted(List.of(), 0)));
        assertEquals(List.of("home", "dataDir", "movedAside"), fields(new NetworkViews.Init("/h", "/c", List.of())));
        assertEquals(List.of("fingerprint", "network", "tag"), fields(new NetworkViews.Pin("fp", "n", "t")));
    }
}
