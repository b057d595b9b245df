package io.formix.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.mpc.PartialSum;
import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code partial} body of a 64-bit accumulation: it travels, is stored, and reveals the wrapped total. */
class PartialSumsTest {

    private static final Set<String> LIGHTS = Set.of("light-0001", "light-0002");

    /** Every heavy node's partial sum of two light nodes' vectors near ±2^63 over {@code id}. */
    private static List<PartialSum> partialSums(SharingScheme scheme) {
        long[][] answers = {{Long.MAX_VALUE, Long.MIN_VALUE, -1, 3}, {Long.MAX_VALUE, Long.MIN_VALUE, 2, -3}};
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            acc.add(ShareAccumulator.forContributors(scheme, p, 4, LIGHTS));
        }
        int i = 0;
        for (String light : LIGHTS.stream().sorted().toList()) {
            VectorShare[] shares = scheme.shareCompressed(answers[i++]);
            for (int p = 0; p < 3; p++) {
                acc.get(p).add(light, ShareCodec.decodeShare(ShareCodec.encode(shares[p]), 4, 64));
            }
        }
        List<PartialSum> sums = new ArrayList<>();
        acc.forEach(a -> sums.add(a.partialSum()));
        return sums;
    }

    @Test
    void a64BitPartialSumRoundTripsThroughTheEnvelopeAndTheStoreAndReveals() throws Exception {
        for (String id : new String[] {"additive-3-z64", "replicated-2of3-z64"}) {
            SharingScheme scheme = SharingSchemes.forId(id);
            List<PartialSum> received = new ArrayList<>();
            for (PartialSum p : partialSums(scheme)) {
                Envelope e = Envelope.of(
                        MessageType.PARTIAL,
                        PartyId.of("heavy-" + (p.party() + 1)),
                        PartyId.of("heavy-1"),
                        "c0001",
                        new Bodies.Partial(p).toJson());
                PartialSum back =
                        Bodies.Partial.parse(Envelope.decode(e.encode()).body()).sum();
                assertEquals(p, back, id);
                assertEquals(64, back.ringBits());
                assertEquals(p, PartialSums.decode(PartialSums.encode(p)), "the stored text reads back");
                assertEquals(64, PartialSums.toJson(p).get("ring").intValue());
                received.add(back);
            }
            // (2^63-1) * 2 = -2, (-2^63) * 2 = 0 mod 2^64
            assertArrayEquals(new long[] {-2, 0, 1, 0}, scheme.revealLongs(received), id);
        }
    }

    @Test
    void a32BitPartialSumKeepsItsFormAndTamperingIsRefused() throws Exception {
        SharingScheme z32 = SharingSchemes.forId(Bodies.DEFAULT_SCHEME);
        ShareAccumulator acc = ShareAccumulator.forContributors(z32, 0, 1, Set.of("light-0001"));
        acc.add("light-0001", z32.share(new int[] {5})[0]);
        ObjectNode json = PartialSums.toJson(acc.partialSum());
        assertFalse(json.has("ring"), "the 32-bit body is unchanged");
        assertEquals(acc.partialSum(), PartialSums.parse(json));

        PartialSum p = partialSums(SharingSchemes.forId("additive-3-z64")).get(0);
        ObjectNode lying = PartialSums.toJson(p);
        lying.put("digest", "00");
        assertThrows(ProtocolException.class, () -> PartialSums.parse(lying), "a digest that lies is refused");
        ObjectNode noRing = PartialSums.toJson(p);
        noRing.remove("ring");
        ProtocolException e = assertThrows(ProtocolException.class, () -> PartialSums.parse(noRing));
        assertTrue(e.getMessage().contains("sums"), e.getMessage());
        ObjectNode badRing = PartialSums.toJson(p);
        badRing.put("ring", 48);
        assertThrows(ProtocolException.class, () -> PartialSums.parse(badRing));
        ObjectNode truncated = PartialSums.toJson(p);
        byte[] sum = ShareCodec.encodeVector(p.sumLongs(0));
        truncated
                .putArray("sums")
                .add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sum, sum.length - 1)));
        assertThrows(ProtocolException.class, () -> PartialSums.parse(truncated));
    }
}
