package io.formix.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.mpc.PartialSum;
import io.formix.mpc.ShareCodec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON form of a {@link PartialSum}, the body of {@code partial}:
 * {@code {"party":1,"components":[1],"sums":["<base64 ShareCodec vector>"],"contributors":[…],"digest":"…"}}
 * for a scalar sum over Z/2^32 (the computations without a query), and
 * {@code {"party":1,"ring":64,"components":[1],"sums":["<base64 ShareCodec long vector>"],…}} for a sum
 * over Z/2^64 ({@link PartialSum#ringBits()} 64; a vector of up to {@link #MAX_LONG_SUM_LENGTH} cells).
 * A body without {@code ring} is over Z/2^32. The digest is checked against the contributors on
 * parsing, so a partial sum that names a set other than the one it claims is refused.
 */
public final class PartialSums {

    /** Most components a heavy node holds (replicated 2-of-3 holds two). */
    static final int MAX_COMPONENTS = 8;
    /** Longest base64 sum accepted (scalars: 12 characters). */
    static final int MAX_SUM_CHARS = 64;
    /** Longest sum over Z/2^64 accepted, in elements: {@code ShareCodec.DEFAULT_MAX_LENGTH}. */
    static final int MAX_LONG_SUM_LENGTH = ShareCodec.DEFAULT_MAX_LENGTH;
    /** Its base64 length: the {@code ShareCodec} long vector of that many elements. */
    private static final int MAX_LONG_SUM_CHARS = (int) (4 * ((4 + 8L * MAX_LONG_SUM_LENGTH + 2) / 3));

    private PartialSums() {}

    public static ObjectNode toJson(PartialSum p) {
        ObjectNode o = Envelope.JSON.createObjectNode();
        o.put("party", p.party());
        if (p.ringBits() == 64) {
            o.put("ring", 64);
        }
        ArrayNode comps = o.putArray("components");
        for (int c : p.componentIndices()) {
            comps.add(c);
        }
        ArrayNode sums = o.putArray("sums");
        for (int k = 0; k < p.componentIndices().length; k++) {
            byte[] v = p.ringBits() == 64 ? ShareCodec.encodeVector(p.sumLongs(k)) : ShareCodec.encodeVector(p.sum(k));
            sums.add(Base64.getEncoder().encodeToString(v));
        }
        ArrayNode who = o.putArray("contributors");
        p.contributors().forEach(who::add);
        o.put("digest", p.contributorDigest());
        return o;
    }

    /** The stored text of a partial sum. */
    public static String encode(PartialSum p) {
        return toJson(p).toString();
    }

    /** Reads a stored partial sum back. */
    public static PartialSum decode(String text) throws ProtocolException {
        JsonNode n;
        try {
            n = Envelope.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new ProtocolException("stored partial sum is not JSON");
        }
        return parse(n);
    }

    public static PartialSum parse(JsonNode b) throws ProtocolException {
        int party = (int) Bodies.longField(b, "party", 0, 63);
        int ring = b.has("ring") ? (int) Bodies.longField(b, "ring", 32, 64) : 32;
        if (ring != 32 && ring != 64) {
            throw new ProtocolException("field 'ring' must be 32 or 64");
        }
        JsonNode comps = b.get("components");
        JsonNode sums = b.get("sums");
        if (comps == null
                || !comps.isArray()
                || sums == null
                || !sums.isArray()
                || comps.size() != sums.size()
                || comps.isEmpty()
                || comps.size() > MAX_COMPONENTS) {
            throw new ProtocolException(
                    "'components' and 'sums' must be arrays of the same size, 1.." + MAX_COMPONENTS);
        }
        int[] indices = new int[comps.size()];
        int[][] values = new int[comps.size()][];
        long[][] longValues = new long[comps.size()][];
        for (int k = 0; k < indices.length; k++) {
            if (!comps.get(k).isInt()
                    || comps.get(k).intValue() < 0
                    || comps.get(k).intValue() > 63) {
                throw new ProtocolException("field 'components' holds an invalid component index");
            }
            indices[k] = comps.get(k).intValue();
            ObjectNode one = Envelope.JSON.createObjectNode().set("sum", sums.get(k));
            if (ring == 64) {
                try {
                    longValues[k] = ShareCodec.decodeLongVector(
                            Bodies.base64Field(one, "sum", MAX_LONG_SUM_CHARS), MAX_LONG_SUM_LENGTH);
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException("field 'sums' holds a bad vector: " + e.getMessage());
                }
                continue;
            }
            try {
                values[k] = ShareCodec.decodeVector(Bodies.base64Field(one, "sum", MAX_SUM_CHARS), 1);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("field 'sums' holds a bad vector: " + e.getMessage());
            }
            if (values[k].length != 1) {
                throw new ProtocolException("field 'sums' holds a vector, not a scalar sum");
            }
        }
        List<String> who = new ArrayList<>();
        Bodies.idList(b, "contributors", Bodies.MAX_LIGHTS).forEach(id -> who.add(id.value()));
        PartialSum p;
        try {
            p = ring == 64
                    ? new PartialSum(party, indices, longValues, who)
                    : new PartialSum(party, indices, values, who);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("bad partial sum: " + e.getMessage());
        }
        if (!p.contributorDigest().equals(Envelope.text(b, "digest"))) {
            throw new ProtocolException("partial sum's digest does not name its contributors");
        }
        return p;
    }
}
