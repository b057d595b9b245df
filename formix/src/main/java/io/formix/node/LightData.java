package io.formix.node;

import io.formix.data.DataSourceStore;
import io.formix.data.SourceKind;
import io.formix.data.SourceSpec;
import io.formix.policy.ApprovalMode;
import io.formix.policy.PolicyCheck;
import io.formix.policy.PolicyStore;
import io.formix.policy.ProposalFacts;
import io.formix.policy.Verdict;
import io.formix.query.Answer;
import io.formix.query.Query;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.transport.PartyId;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a light node's core needs of its owner's data and policy, all in the node's own {@code
 * node.db}: the registered sources, the approval mode, the disclosure policy and its ledger. The
 * port keeps {@link LightCore} free of I/O in its tests; {@link #of} opens the node's database for
 * each call (short, sequential calls: no connection is kept beside the pooled light store).
 */
interface LightData {

    /** The registered source named {@code dataset}, if any. */
    Optional<SourceSpec> source(String dataset);

    /** How the owner approves query computations. */
    ApprovalMode approval();

    /** The controls that need no data ({@link PolicyCheck#beforeAnswer}); records nothing. */
    Verdict beforeAnswer(Query q, ProposalFacts f);

    /** Every control, recording the computation in the ledger when it passes ({@link PolicyStore#decide}). */
    Verdict decide(Query q, ProposalFacts f, Answer answer, SourceKind kind);

    /** No source and no policy: every query is declined (a core built without its node's data). */
    LightData NONE = new LightData() {
        @Override
        public Optional<SourceSpec> source(String dataset) {
            return Optional.empty();
        }

        @Override
        public ApprovalMode approval() {
            return ApprovalMode.MANUAL;
        }

        @Override
        public Verdict beforeAnswer(Query q, ProposalFacts f) {
            throw new IllegalStateException("no policy");
        }

        @Override
        public Verdict decide(Query q, ProposalFacts f, Answer answer, SourceKind kind) {
            throw new IllegalStateException("no policy");
        }
    };

    /**
     * The sources and policy of light node {@code uid} of {@code home}, each call opening the
     * node's {@code node.db} (tests, tools: outside a host's resource bounds).
     */
    static LightData of(FormixHome home, PartyId uid) {
        return new Tables() {
            @Override
            <T> T sources(Function<DataSourceStore, T> work) {
                try (DataSourceStore s = DataSourceStore.open(home, uid)) {
                    return work.apply(s);
                }
            }

            @Override
            <T> T policy(Function<PolicyStore, T> work) {
                try (PolicyStore p = PolicyStore.open(home, uid)) {
                    return work.apply(p);
                }
            }
        };
    }

    /**
     * The sources and policy in the {@code node.db} of {@code store} (a host's pooled store),
     * through the store's own connection: no connection beyond the pool's bound. The tables are
     * created on first use.
     */
    static LightData of(LightStore store) {
        return new Tables() {
            /** Whether the sources' and the policy's tables were created (each on first use). */
            private boolean sourcesReady, policyReady;

            @Override
            <T> T sources(Function<DataSourceStore, T> work) {
                T out = store.onDatabase(db -> work.apply(DataSourceStore.over(db, !sourcesReady)));
                sourcesReady = true;
                return out;
            }

            @Override
            <T> T policy(Function<PolicyStore, T> work) {
                T out = store.onDatabase(db -> work.apply(PolicyStore.over(db, !policyReady)));
                policyReady = true;
                return out;
            }
        };
    }

    /** {@link LightData} over the node's tables, however they are reached. */
    abstract class Tables implements LightData {

        abstract <T> T sources(Function<DataSourceStore, T> work);

        abstract <T> T policy(Function<PolicyStore, T> work);

        @Override
        public Optional<SourceSpec> source(String dataset) {
            return sources(s -> s.get(dataset).map(DataSourceStore.Entry::spec));
        }

        @Override
        public ApprovalMode approval() {
            return policy(PolicyStore::approval);
        }

        @Override
        public Verdict beforeAnswer(Query q, ProposalFacts f) {
            return policy(p -> PolicyCheck.beforeAnswer(p.policy(), q, f, p.usage(q.dataset(), f.now())));
        }

        @Override
        public Verdict decide(Query q, ProposalFacts f, Answer answer, SourceKind kind) {
            return policy(p -> p.decide(q, f, answer, kind));
        }
    }
}
