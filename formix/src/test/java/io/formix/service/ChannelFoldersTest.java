package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.formix.node.TransportFactory;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import io.formix.transport.file.ChannelNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The channel folders a file host makes before its nodes start: every pair with a heavy node and a hosted node. */
@Timeout(30)
class ChannelFoldersTest {

    private static NodeRecord node(long seq, String uid) {
        return new NodeRecord(
                seq,
                PartyId.of(uid),
                uid.startsWith("heavy") ? Role.HEAVY : Role.LIGHT,
                Approval.AUTO,
                0,
                0,
                0,
                0,
                0,
                false);
    }

    @Test
    void aHostMakesBothFoldersOfEveryPairOfAHostedNodeWithAHeavyNodeAndNoOther(@TempDir Path home) throws Exception {
        List<NodeRecord> hosted = List.of(node(1, "heavy-1"), node(4, "light-0001"), node(5, "light-0002"));
        List<NodeRecord> all = new ArrayList<>(hosted);
        all.addAll(List.of(node(2, "heavy-2"), node(3, "heavy-3"), node(6, "light-0003")));
        TransportFactory f = Transports.factory(Home.of(home), null, hosted, null);
        f.prepare(hosted, all);
        f.prepare(hosted, all); // again: the folders are there, nothing fails

        Set<String> expected = new TreeSet<>();
        for (NodeRecord a : all) {
            for (NodeRecord b : all) {
                boolean oneHosted = hosted.contains(a) || hosted.contains(b);
                if (!a.uid().equals(b.uid()) && (a.isHeavy() || b.isHeavy()) && oneHosted) {
                    expected.add(ChannelNames.channel(a.uid(), b.uid()));
                }
            }
        }
        Set<String> made = new TreeSet<>();
        try (Stream<Path> s = Files.list(Home.of(home).dataDir())) {
            s.filter(Files::isDirectory).forEach(p -> made.add(p.getFileName().toString()));
        }
        assertEquals(expected, made);
        assertEquals(18, made.size(), "heavy-1 with 5 others, the 2 hosted lights with heavy-2 and heavy-3: both ways");
    }
}
