/** A light node owner's local disclosure controls: the policy, its check of one proposal and answer, and its ledger in {@code node.db}. */
package io.formix.policy;
