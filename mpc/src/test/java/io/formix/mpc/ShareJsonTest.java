package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.formix.mpc.MpcException.MalformedEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShareJsonTest {

    @Test
    void scalarsAreUnsignedDecimal() {
        assertEquals("4294967295", ShareJson.unsigned(-1));
        assertEquals("2147483648", ShareJson.unsigned(Integer.MIN_VALUE));
        assertEquals("0", ShareJson.unsigned(0));
        for (int v : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 123456789}) {
            assertEquals(v, ShareJson.parseUnsigned(ShareJson.unsigned(v)));
        }
        assertArrayEquals(new int[] {-1, 7}, ShareJson.parseUnsignedList(ShareJson.unsignedList(new int[] {-1, 7}), 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", "01", "00", "4294967296", "99999999999", "12a", " 1", "1 ", "1.0", "٣"})
    void malformedUnsignedDecimalsAreRejected(String s) {
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseUnsigned(s));
    }

    @Test
    void unsignedListsAreBounded() {
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseUnsigned(null));
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseUnsignedList(List.of("1", "2", "3"), 2));
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseUnsignedList(null, 2));
    }

    @Test
    void vectorsAreBase64OfLittleEndianInt32s() {
        assertEquals("AQAAAP////8=", ShareJson.base64(new int[] {1, -1}));
        assertArrayEquals(new int[] {1, -1}, ShareJson.parseBase64("AQAAAP////8=", 2));
        int[] v = new Random(4).ints(999).toArray();
        assertArrayEquals(v, ShareJson.parseBase64(ShareJson.base64(v), 999));
        assertArrayEquals(new int[0], ShareJson.parseBase64("", 0));
    }

    @Test
    void malformedBase64IsRejected() {
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64("AQA=", 4)); // 2 bytes
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64("AQAAAA", 4)); // no padding
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64("AQAAAB==", 4)); // non-canonical
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64("AQ*AAA==", 4));
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64("AQAA\nAA==", 4));
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64(null, 4));
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64("AQAAAP////8=", 1));
        String huge = "A".repeat(1 << 20);
        assertThrows(MalformedEncodingException.class, () -> ShareJson.parseBase64(huge, 16));
    }

    @Test
    void sharesRoundTripThroughTheJsonForm() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        int[] secret = new Random(5).ints(300).toArray();
        for (VectorShare[] shares : List.of(scheme.share(secret), scheme.shareCompressed(secret))) {
            List<VectorShare> back = new ArrayList<>();
            for (VectorShare s : shares) {
                VectorShare d = ShareJson.fromJson(ShareJson.toJson(s), 300);
                assertEquals(s, d);
                back.add(d);
            }
            assertArrayEquals(secret, scheme.reconstruct(back));
        }
        ShareJson.VectorShareJson json = ShareJson.toJson(scheme.shareCompressed(secret)[0]);
        assertEquals(ShareJson.KIND_SEED, json.components().get(0).kind());
        assertEquals(44, json.components().get(0).data().length());
    }

    @Test
    void malformedJsonSharesAreRejected() {
        String seed = ShareJson.toJson(SharingSchemes.additive(2).shareCompressed(new int[2])[0])
                .components()
                .get(0)
                .data();
        String values = ShareJson.base64(new int[] {1, 2});
        List<ShareJson.VectorShareJson> bad = List.of(
                new ShareJson.VectorShareJson(0, 2, List.of(new ShareJson.ComponentJson(0, "zip", values))),
                new ShareJson.VectorShareJson(0, 2, List.of(new ShareJson.ComponentJson(0, "values", null))),
                new ShareJson.VectorShareJson(0, 2, List.of(new ShareJson.ComponentJson(0, null, values))),
                new ShareJson.VectorShareJson(0, 2, List.of(new ShareJson.ComponentJson(0, "seed", seed.substring(4)))),
                new ShareJson.VectorShareJson(0, 2, List.of(new ShareJson.ComponentJson(0, "seed", "*".repeat(44)))),
                new ShareJson.VectorShareJson(0, 3, List.of(new ShareJson.ComponentJson(0, "values", values))),
                new ShareJson.VectorShareJson(0, 1, List.of(new ShareJson.ComponentJson(0, "values", values))),
                new ShareJson.VectorShareJson(0, 99, List.of(new ShareJson.ComponentJson(0, "seed", seed))),
                new ShareJson.VectorShareJson(-1, 2, List.of(new ShareJson.ComponentJson(0, "values", values))),
                new ShareJson.VectorShareJson(0, 2, List.of()),
                new ShareJson.VectorShareJson(0, 2, null),
                new ShareJson.VectorShareJson(0, 2, Arrays.asList((ShareJson.ComponentJson) null)),
                new ShareJson.VectorShareJson(0, 2, List.of(new ShareJson.ComponentJson(-1, "values", values))),
                new ShareJson.VectorShareJson(
                        0,
                        2,
                        List.of(
                                new ShareJson.ComponentJson(0, "values", values),
                                new ShareJson.ComponentJson(0, "seed", seed))));
        for (ShareJson.VectorShareJson json : bad) {
            assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(json, 64), json.toString());
        }
        assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(null, 64));
        ShareJson.fromJson(
                new ShareJson.VectorShareJson(0, 2, List.of(new ShareJson.ComponentJson(0, "seed", seed))), 64);
    }

    @Test
    void partialSumsRoundTripAndTheirDigestIsChecked() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        ShareAccumulator acc = ShareAccumulator.open(scheme, 1, 10);
        acc.add("light-0001", scheme.shareCompressed(new int[10])[1]);
        acc.add("light-0002", scheme.share(new int[10])[1]);
        PartialSum sum = acc.partialSum();
        ShareJson.PartialSumJson json = ShareJson.toJson(sum);
        assertEquals(sum, ShareJson.fromJson(json, 10, 2));
        ShareJson.PartialSumJson lying = new ShareJson.PartialSumJson(
                json.party(), json.components(), json.sums(), List.of("light-0001"), json.contributorDigest());
        assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(lying, 10, 2));
        assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(json, 10, 1));
        assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(json, 9, 2));
        ShareJson.PartialSumJson dup = new ShareJson.PartialSumJson(
                json.party(), json.components(), json.sums(), List.of("a", "a"), json.contributorDigest());
        assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(dup, 10, 2));
        ShareJson.PartialSumJson shape = new ShareJson.PartialSumJson(
                json.party(), List.of(1), json.sums(), json.contributors(), json.contributorDigest());
        assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(shape, 10, 2));
        ShareJson.PartialSumJson nullId = new ShareJson.PartialSumJson(
                json.party(), json.components(), json.sums(), Arrays.asList("a", null), json.contributorDigest());
        assertThrows(MalformedEncodingException.class, () -> ShareJson.fromJson(nullId, 10, 2));
    }

    @org.junit.jupiter.api.Test
    void recordsNeverPrintSharesSeedsOrSums() {
        String secretish = java.util.Base64.getEncoder().encodeToString(new byte[] {9, 8, 7, 6, 5, 4, 3, 2});
        ShareJson.ComponentJson c = new ShareJson.ComponentJson(1, ShareJson.KIND_VALUES, secretish);
        ShareJson.VectorShareJson v = new ShareJson.VectorShareJson(0, 2, java.util.List.of(c));
        ShareJson.PartialSumJson p = new ShareJson.PartialSumJson(
                0, java.util.List.of(0), java.util.List.of(secretish), java.util.List.of("light-1"), "digest");
        for (Object o : new Object[] {c, v, p}) {
            org.junit.jupiter.api.Assertions.assertFalse(o.toString().contains(secretish), o.toString());
        }
        org.junit.jupiter.api.Assertions.assertTrue(v.toString().contains("length=2"), v.toString());
    }
}
