package io.formix.node;

import io.formix.dp.NoiseSpec;
import io.formix.protocol.ComputeBody;
import io.formix.query.Canonical;
import io.formix.query.Query;
import io.formix.query.QueryException;
import io.formix.query.QueryParser;
import io.formix.query.WrapGuard;
import java.math.BigDecimal;

/**
 * The checks of a proposal that carries a query, made by the proposer and again by heavy node 1:
 * the query parses, its canonical text fits a {@code compute} message, its total over the invited
 * light nodes cannot wrap mod 2^64 ({@link WrapGuard}), and the ε of differential privacy, if any,
 * is one {@link NoiseSpec} accepts for an additive scheme.
 *
 * <p><b>No differential privacy with replicated sharing.</b> Each heavy node adds its own noise to
 * its partial sum; with {@code replicated-2of3} every component is held by two heavy nodes, whose
 * partial sums of it must agree exactly for the reveal to check them — independent noise on each
 * copy would make every reveal fail, and one shared draw would be known to two heavy nodes (so one
 * of them alone could remove it). Such a proposal is refused with that reason.
 */
public final class QueryProposal {

    /** The scheme of a query computation: additive 3-of-3 over Z/2^64. */
    public static final String ADDITIVE_Z64 = "additive-3-z64";
    /** The scheme of a query computation with replicated sharing: 2-of-3 over Z/2^64. */
    public static final String REPLICATED_Z64 = "replicated-2of3-z64";

    private QueryProposal() {}

    /** The scheme id of a query computation. */
    static String scheme(boolean replicated) {
        return replicated ? REPLICATED_Z64 : ADDITIVE_Z64;
    }

    /** Whether {@code scheme} is one a query computation uses. */
    public static boolean isQueryScheme(String scheme) {
        return ADDITIVE_Z64.equals(scheme) || REPLICATED_Z64.equals(scheme);
    }

    /**
     * The canonical text of {@code queryJson} after every check for {@code invited} light nodes.
     *
     * @throws ProposalException with the one-line reason
     */
    static String check(String queryJson, BigDecimal epsilon, boolean replicated, long invited)
            throws ProposalException {
        Query q = parse(queryJson);
        String canonical = Canonical.json(q);
        if (canonical.length() > ComputeBody.MAX_QUERY_CHARS) {
            throw new ProposalException("the query is " + canonical.length() + " characters long in canonical form, "
                    + "more than the " + ComputeBody.MAX_QUERY_CHARS + " a proposal carries — shorten its lists");
        }
        wrap(q, invited);
        if (epsilon != null) {
            noise(q, epsilon, replicated);
        }
        return canonical;
    }

    /** The query of {@code json}, or the reason it is refused. */
    public static Query parse(String json) throws ProposalException {
        try {
            return QueryParser.parse(json);
        } catch (QueryException e) {
            throw new ProposalException("invalid --query: " + e.getMessage());
        }
    }

    /** Refuses a query whose total over {@code invited} nodes could wrap, naming the largest count that fits. */
    public static void wrap(Query q, long invited) throws ProposalException {
        try {
            WrapGuard.check(q, invited);
        } catch (QueryException e) {
            throw new ProposalException(e.getMessage());
        }
    }

    /** The noise of {@code q} at {@code epsilon}, or the reason it is refused. */
    public static NoiseSpec noise(Query q, BigDecimal epsilon, boolean replicated) throws ProposalException {
        if (replicated) {
            throw new ProposalException("--dp-epsilon needs --scheme additive: with replicated sharing two heavy "
                    + "nodes hold each component, and noise added by each to its partial sum would break their "
                    + "agreement (one shared draw would be known to both)");
        }
        try {
            return NoiseSpec.of(q.aggregate(), epsilon);
        } catch (IllegalArgumentException e) {
            throw new ProposalException(e.getMessage());
        }
    }
}
