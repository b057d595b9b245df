package io.formix.service;

import java.util.ArrayList;
import java.util.List;

/** What {@link OwnerService} shows a light node's owner: the inbox and the review of one computation. */
public final class OwnerViews {

    private OwnerViews() {}

    /**
     * A computation waiting for this owner.
     *
     * @param id         the computation
     * @param prompt     the proposer's question
     * @param dataset    the dataset its query runs on, or {@code null} (a computation without a query)
     * @param needs      what the owner is to do ({@code review}, {@code answer}, {@code approve})
     * @param reviewed   whether a {@code comp review} recorded the hash an approval binds to
     * @param deadline   when it closes (epoch ms)
     * @param leftMillis how long is left
     * @param proposer   the proposer heavy node 1 named, or {@code null}: unknown
     */
    public record InboxItem(
            String id,
            String prompt,
            String dataset,
            String needs,
            boolean reviewed,
            long deadline,
            long leftMillis,
            String proposer) {}

    /**
     * The review of one computation a light node received: its state, how the node approves, and
     * the {@link ReviewView} computed locally now (nothing leaves the node).
     */
    public record ComputationReview(
            String computation, String state, long deadline, long leftMillis, String approval, ReviewView review) {

        /** The review for people (not yet terminal-safe: the caller does that). */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add("Computation " + computation + "  (" + state + ", "
                    + (leftMillis > 0 ? TimeText.human(leftMillis) + " left" : "expired") + ")");
            out.addAll(review.lines());
            String node = review.node();
            boolean manual = review.source().equals("manual");
            String next = !state.equals("pending")
                    ? "nothing to decide: it is " + state
                    : manual
                            ? "answer it by hand: formix comp answer " + computation + " --node " + node
                                    + " (--value V | --choice C | --file F), or formix comp decline"
                            : "formix comp approve " + computation + " --node " + node + " (bound to the hash above), "
                                    + "or formix comp decline " + computation + " --node " + node;
            out.add("Approval   " + approval
                    + (approval.equals("policy") ? " (automatic when every control passes; a manual source waits)" : "")
                    + " — " + next);
            return out;
        }
    }
}
