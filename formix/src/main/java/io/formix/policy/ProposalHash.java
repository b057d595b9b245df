package io.formix.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.formix.query.Canonical;
import io.formix.query.Query;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an owner's approval is bound to: the SHA-256 of the canonical JSON of a proposal — its
 * prompt, its query ({@link Canonical#json}), its threshold, its heavy nodes in order and its
 * differential privacy. Any change to one of them gives another hash, so it needs a new review.
 */
public final class ProposalHash {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProposalHash() {}

    /**
     * The canonical JSON: {@code {"v":1,"prompt":…,"query":{…},"threshold":…,"heavy":[…],"dp":null|{"epsilon":…}}},
     * fields in this order, ε as a plain decimal without trailing zeros.
     */
    public static String canonical(String prompt, Query q, long threshold, List<String> heavy, BigDecimal dpEpsilon) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", 1);
        n.put("prompt", prompt);
        n.putRawValue("query", new RawValue(Canonical.json(q)));
        n.put("threshold", threshold);
        ArrayNode h = n.putArray("heavy");
        heavy.forEach(h::add);
        if (dpEpsilon == null) {
            n.putNull("dp");
        } else {
            BigDecimal e = dpEpsilon.stripTrailingZeros();
            n.putObject("dp").putRawValue("epsilon", new RawValue((e.scale() < 0 ? e.setScale(0) : e).toPlainString()));
        }
        return n.toString();
    }

    /** The SHA-256 of {@link #canonical}, as 64 lower-case hex digits. */
    public static String of(String prompt, Query q, long threshold, List<String> heavy, BigDecimal dpEpsilon) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(prompt, q, threshold, heavy, dpEpsilon).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
