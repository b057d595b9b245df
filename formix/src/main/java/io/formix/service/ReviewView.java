package io.formix.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.data.Descriptor;
import io.formix.data.SourceKind;
import io.formix.dp.NoiseSpec;
import io.formix.policy.Control;
import io.formix.policy.DisclosurePolicy;
import io.formix.policy.PolicyCheck;
import io.formix.policy.ProposalFacts;
import io.formix.policy.ProposalHash;
import io.formix.policy.Usage;
import io.formix.policy.Verdict;
import io.formix.query.Answer;
import io.formix.query.Decoder;
import io.formix.query.Query;
import io.formix.query.Words;
import java.util.List;
import java.util.Map;

/**
 * What a light node's owner reviews before a proposal's answer leaves the node: the question, the
 * query in plain words and the dataset it runs on, what is shared and with whom, what is revealed
 * (threshold, noise), the answer this node would send — computed locally, nothing sent — the
 * policy's verdict, the controls that are off, and the hash an approval binds to.
 *
 * @param node          the light node
 * @param prompt        the proposer's question
 * @param computes      the query in plain words
 * @param dataset       the dataset it runs on
 * @param source        the kind of source ({@code csv}, {@code sqlite}, {@code command}, {@code manual})
 * @param cells         how many numbers the node would share (mod 2^64)
 * @param heavy         the heavy nodes, each receiving one share of each number
 * @param threshold     the fewest light nodes the revealed total must hold
 * @param noise         the differential privacy noise each heavy node adds, or {@code null}
 * @param value         the answer this node would send, decoded as the total of one node would be; {@code null} when the evaluation failed
 * @param rows          rows read (tabular sources)
 * @param matched       rows matching the query's terms
 * @param missing       values skipped as missing
 * @param clamped       values clamped to the bounds
 * @param failure       why the local evaluation failed, or {@code null}
 * @param approved      whether the node would answer: the evaluation worked and every control that is on passed
 * @param reason        the owner's reason for a decline, or {@code null}
 * @param wireReason    what a decline would tell the proposer, or {@code null}
 * @param passed        what each control that is on found
 * @param off           the controls that are off
 * @param proposalHash  the SHA-256 an approval binds to ({@link ProposalHash})
 * @param proposer      the proposer the policy checks (as heavy node 1 named it; for a dry run, as
 *                      given), or {@code null}: unknown
 */
public record ReviewView(
        String node,
        String prompt,
        String computes,
        String dataset,
        String source,
        int cells,
        List<String> heavy,
        long threshold,
        Map<String, Object> noise,
        JsonNode value,
        long rows,
        long matched,
        long missing,
        long clamped,
        String failure,
        boolean approved,
        String reason,
        String wireReason,
        List<String> passed,
        List<String> off,
        String proposalHash,
        String proposer) {

    public ReviewView {
        heavy = List.copyOf(heavy);
        passed = List.copyOf(passed);
        off = List.copyOf(off);
    }

    /**
     * The review of proposal ({@code prompt}, {@code q}, {@code heavy}, {@code facts}) on light node
     * {@code node}, whose dataset {@code d} (a source of kind {@code kind}) gave {@code answer} —
     * or failed with {@code failure} — under {@code policy} with the ledger at {@code usage}.
     * {@code noise} is the noise the proposal asks for (its ε is {@code facts.dpEpsilon()}).
     */
    public static ReviewView of(
            String node,
            String prompt,
            Query q,
            Descriptor d,
            SourceKind kind,
            List<String> heavy,
            ProposalFacts facts,
            NoiseSpec noise,
            DisclosurePolicy policy,
            Usage usage,
            Answer answer,
            String failure) {
        if ((answer == null) == (failure == null)) {
            throw new IllegalArgumentException("a review has an answer or a failure, not both or neither");
        }
        Verdict v = answer != null
                ? PolicyCheck.check(policy, q, facts, answer, kind, usage)
                : PolicyCheck.beforeAnswer(policy, q, facts, usage);
        boolean approved = answer != null && v.approved();
        String reason =
                !v.approved() ? v.ownerReason() : failure != null ? "the local evaluation failed: " + failure : null;
        String wire =
                !v.approved() ? v.wireReason() : failure != null ? "declined: the data source could not answer" : null;
        JsonNode value = answer == null ? null : Decoder.decode(q.aggregate(), answer.cells(), 1);
        String hash = ProposalHash.of(prompt, q, facts.threshold(), heavy, facts.dpEpsilon());
        return new ReviewView(
                node,
                prompt,
                Words.of(q),
                d.dataset(),
                kind.label(),
                q.aggregate().width(),
                heavy,
                facts.threshold(),
                noise == null ? null : noise.toJson(),
                value,
                answer == null ? 0 : answer.rows(),
                answer == null ? 0 : answer.matched(),
                answer == null ? 0 : answer.missing(),
                answer == null ? 0 : answer.clamped(),
                failure,
                approved,
                reason,
                wire,
                v.passed(),
                policy.off().stream().map(Control::label).toList(),
                hash,
                facts.proposer());
    }

    /** The review for people, one line per item (not yet made terminal-safe: the caller does that). */
    public List<String> lines() {
        String rowsText = source.equals("csv") || source.equals("sqlite")
                ? "; " + rows + " rows read, " + matched + " matching, " + missing + " missing value(s) skipped, "
                        + clamped + " clamped"
                : "";
        String shares = cells + " number" + (cells == 1 ? "" : "s") + " mod 2^64, one random share of each to "
                + String.join(", ", heavy) + " (no single heavy node learns anything from its share)";
        String revealed = "only the total over at least " + threshold + " light node" + (threshold == 1 ? "" : "s")
                + (noise == null
                        ? "; no noise requested"
                        : "; each heavy node adds " + noise.get("mechanism")
                                + " noise of scale " + noise.get("scale") + " (ε " + noise.get("epsilon") + " per "
                                + noise.get("unit")
                                + ")");
        String answerText;
        if (value != null) {
            String v = value.toString();
            answerText = (v.length() > 2000 ? v.substring(0, 2000) + "…" : v) + "  (computed here; nothing was sent)";
        } else {
            answerText = "none — " + failure;
        }
        String policy = approved
                ? "passes" + (passed.isEmpty() ? " (every control is off)" : " (" + String.join("; ", passed) + ")")
                : "declines: " + reason + " — the proposer would see only \"" + wireReason + "\"";
        String offText = off.isEmpty()
                ? "none"
                : String.join(", ", off) + " (off until you set them: formix node policy " + node + ")";
        return List.of(
                "Question   " + prompt,
                "Runs on    dataset " + dataset + " (" + source + rowsText + ")",
                "Computes   " + computes,
                "Shares     " + shares,
                "Revealed   " + revealed,
                "Answer     " + answerText,
                "Policy     " + policy,
                "Off        " + offText,
                "Hash       " + proposalHash + "  (an approval binds to it: a changed proposal needs a new review)",
                "Proposer   " + (proposer == null ? "unknown (heavy node 1 named none)" : proposer));
    }
}
