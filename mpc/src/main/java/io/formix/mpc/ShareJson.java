package io.formix.mpc;

import io.formix.mpc.MpcException.MalformedEncodingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * JSON-friendly forms, for use inside JSON envelopes (Jackson serialises the records as they are):
 * scalars as unsigned decimal strings ({@code "4294967295"} for −1), vectors as standard base64 of the
 * little-endian int32 elements, seeds as base64 of their 32 bytes.
 *
 * <p>Parsers are strict and bounded: they check sizes against the caller's limit before decoding and
 * throw {@link MalformedEncodingException} for anything that is not exactly a valid encoding.
 * Stateless and thread-safe.
 *
 * <p>Internal, not part of the API: Formix carries shares in {@link ShareCodec}'s binary form. This
 * form is kept, tested, for a JSON envelope that may need it.
 */
final class ShareJson {

    /** Kind of a component carried as base64 elements. */
    public static final String KIND_VALUES = "values";
    /** Kind of a component carried as a base64 seed. */
    public static final String KIND_SEED = "seed";

    private static final int MAX_COMPONENTS = 64;

    private ShareJson() {}

    /** A component: {@code kind} is {@value #KIND_VALUES} or {@value #KIND_SEED}, {@code data} base64. */
    public record ComponentJson(int index, String kind, String data) {
        @Override
        public String toString() {
            // Never the data: it is a share or a seed.
            return "ComponentJson[index=" + index + ", kind=" + kind + ", chars=" + (data == null ? 0 : data.length())
                    + "]";
        }
    }

    /** A {@link VectorShare}. */
    public record VectorShareJson(int party, int length, List<ComponentJson> components) {
        @Override
        public String toString() {
            return "VectorShareJson[party=" + party + ", length=" + length + ", components=" + components + "]";
        }
    }

    /**
     * A {@link PartialSum}: {@code sums.get(k)} is the base64 sum of component {@code components.get(k)};
     * {@code contributorDigest} is checked against {@code contributors} when parsed.
     */
    public record PartialSumJson(
            int party,
            List<Integer> components,
            List<String> sums,
            List<String> contributors,
            String contributorDigest) {
        @Override
        public String toString() {
            // Never the sums: a partial sum is as secret as a share until the reveal.
            return "PartialSumJson[party=" + party + ", components=" + components + ", contributors="
                    + (contributors == null ? 0 : contributors.size()) + ", digest=" + contributorDigest + "]";
        }
    }

    // ---------------------------------------------------------------- scalars

    /** {@code v} as an unsigned decimal string, 0..4294967295. */
    public static String unsigned(int v) {
        return Integer.toUnsignedString(v);
    }

    /**
     * Parses an unsigned decimal string: digits only, no sign, no leading zeros, at most 4294967295.
     *
     * @throws MalformedEncodingException otherwise
     */
    public static int parseUnsigned(String s) {
        if (s == null || s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new MalformedEncodingException("not an unsigned 32-bit decimal: " + quote(s));
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedEncodingException("not an unsigned 32-bit decimal: " + quote(s));
            }
            v = v * 10 + (c - '0');
        }
        if (v > 0xFFFFFFFFL) {
            throw new MalformedEncodingException("above 2^32-1: " + quote(s));
        }
        return (int) v;
    }

    /** A party's scalar values as unsigned decimal strings. */
    public static List<String> unsignedList(int[] values) {
        List<String> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(unsigned(v));
        }
        return out;
    }

    /**
     * Parses a list of unsigned decimal strings of at most {@code maxCount} entries.
     *
     * @throws MalformedEncodingException if the list is null, too long, or an entry is malformed
     */
    public static int[] parseUnsignedList(List<String> values, int maxCount) {
        if (values == null || values.size() > maxCount) {
            throw new MalformedEncodingException("expected at most " + maxCount + " unsigned values, got "
                    + (values == null ? "null" : values.size()));
        }
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseUnsigned(values.get(i));
        }
        return out;
    }

    // ---------------------------------------------------------------- vectors

    /** Standard base64 (with padding) of the little-endian int32 elements; no length prefix. */
    public static String base64(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /**
     * Parses {@link #base64(int[])} output of at most {@code maxLength} elements; the string length
     * is checked before anything is decoded.
     *
     * @throws MalformedEncodingException if null, too long, not canonical padded base64, or not a
     *     whole number of int32s
     */
    public static int[] parseBase64(String s, int maxLength) {
        if (s == null) {
            throw new MalformedEncodingException("base64 vector is null");
        }
        long maxChars = 4 * ((4L * maxLength + 2) / 3);
        if (s.length() > maxChars) {
            throw new MalformedEncodingException(
                    "base64 vector of " + s.length() + " chars exceeds " + maxLength + " elements");
        }
        byte[] bytes = decodeBase64(s, "vector");
        if (bytes.length % 4 != 0) {
            throw new MalformedEncodingException("base64 vector of " + bytes.length + " bytes is not whole int32s");
        }
        int[] v = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
        return v;
    }

    private static byte[] decodeBase64(String s, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException("malformed base64 " + what + ": " + e.getMessage(), e);
        }
        // interior quanta are bijective; only padding and the last quantum's spare bits can vary
        int tailBytes = bytes.length % 3 == 0 ? Math.min(3, bytes.length) : bytes.length % 3;
        if (s.length() != 4 * ((bytes.length + 2) / 3)
                || !s.endsWith(Base64.getEncoder()
                        .encodeToString(Arrays.copyOfRange(bytes, bytes.length - tailBytes, bytes.length)))) {
            throw new MalformedEncodingException("non-canonical base64 " + what);
        }
        return bytes;
    }

    // ---------------------------------------------------------------- shares

    /** The JSON-friendly form of {@code share}. */
    public static VectorShareJson toJson(VectorShare share) {
        List<ComponentJson> comps = new ArrayList<>();
        for (ShareComponent c : share.components()) {
            if (c instanceof SeededComponent s) {
                comps.add(new ComponentJson(
                        s.index(), KIND_SEED, Base64.getEncoder().encodeToString(s.seedBytes())));
            } else {
                comps.add(new ComponentJson(c.index(), KIND_VALUES, base64(((ExplicitComponent) c).values())));
            }
        }
        return new VectorShareJson(share.party(), share.length(), comps);
    }

    /**
     * Parses the JSON-friendly form of a share of at most {@code maxLength} elements.
     *
     * @throws MalformedEncodingException if anything is missing, malformed, out of range or inconsistent
     */
    public static VectorShare fromJson(VectorShareJson json, int maxLength) {
        if (json == null || json.components() == null) {
            throw new MalformedEncodingException("share or its components missing");
        }
        if (json.length() < 0 || json.length() > maxLength) {
            throw new MalformedEncodingException("share length " + json.length() + " is outside 0.." + maxLength);
        }
        if (json.party() < 0 || json.components().isEmpty() || json.components().size() > MAX_COMPONENTS) {
            throw new MalformedEncodingException("share for party " + json.party() + " with "
                    + json.components().size() + " components");
        }
        List<ShareComponent> comps = new ArrayList<>();
        for (ComponentJson c : json.components()) {
            if (c == null || c.index() < 0 || c.index() >= MAX_COMPONENTS) {
                throw new MalformedEncodingException("component missing or index out of range");
            }
            if (KIND_SEED.equals(c.kind())) {
                if (c.data() == null || c.data().length() != 44) {
                    throw new MalformedEncodingException(
                            "seed of component " + c.index() + " is not 32 bytes of base64");
                }
                comps.add(new SeededComponent(c.index(), json.length(), decodeBase64(c.data(), "seed")));
            } else if (KIND_VALUES.equals(c.kind())) {
                int[] values = parseBase64(c.data(), json.length());
                if (values.length != json.length()) {
                    throw new MalformedEncodingException("component " + c.index() + " has " + values.length
                            + " elements, the share " + json.length());
                }
                comps.add(ExplicitComponent.wrap(c.index(), values));
            } else {
                throw new MalformedEncodingException("unknown component kind " + quote(c.kind()));
            }
        }
        try {
            return new VectorShare(json.party(), json.length(), comps);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException("inconsistent share: " + e.getMessage(), e);
        }
    }

    /** The JSON-friendly form of {@code sum}. */
    public static PartialSumJson toJson(PartialSum sum) {
        List<Integer> comps = new ArrayList<>();
        List<String> sums = new ArrayList<>();
        int[] idx = sum.componentIndices();
        for (int k = 0; k < idx.length; k++) {
            comps.add(idx[k]);
            sums.add(base64(sum.sums()[k]));
        }
        return new PartialSumJson(sum.party(), comps, sums, List.copyOf(sum.contributors()), sum.contributorDigest());
    }

    /**
     * Parses the JSON-friendly form of a partial sum of at most {@code maxLength} elements and
     * {@code maxContributors} contributors, checking the digest against the contributor list.
     *
     * @throws MalformedEncodingException if anything is missing, malformed, out of range or inconsistent
     */
    public static PartialSum fromJson(PartialSumJson json, int maxLength, int maxContributors) {
        if (json == null
                || json.components() == null
                || json.sums() == null
                || json.contributors() == null
                || json.contributorDigest() == null) {
            throw new MalformedEncodingException("partial sum or one of its fields missing");
        }
        int k = json.components().size();
        if (k < 1 || k > MAX_COMPONENTS || json.sums().size() != k) {
            throw new MalformedEncodingException(
                    "partial sum with " + k + " components and " + json.sums().size() + " sums");
        }
        if (json.contributors().size() > maxContributors) {
            throw new MalformedEncodingException(
                    "partial sum over " + json.contributors().size() + " contributors exceeds " + maxContributors);
        }
        int[] idx = new int[k];
        int[][] sums = new int[k][];
        for (int i = 0; i < k; i++) {
            Integer c = json.components().get(i);
            if (c == null || c < 0 || c >= MAX_COMPONENTS) {
                throw new MalformedEncodingException("component index " + c + " out of range");
            }
            idx[i] = c;
            sums[i] = parseBase64(json.sums().get(i), maxLength);
        }
        PartialSum sum;
        try {
            sum = new PartialSum(json.party(), idx, sums, json.contributors());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEncodingException("inconsistent partial sum: " + e.getMessage(), e);
        }
        if (!sum.contributorDigest().equals(json.contributorDigest())) {
            throw new MalformedEncodingException("contributor digest " + quote(json.contributorDigest())
                    + " does not match the " + json.contributors().size() + " contributors listed");
        }
        return sum;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return '"' + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + '"';
    }
}
