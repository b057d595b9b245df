/**
 * The node runtime: heavy and light node logic as persisted state machines over a
 * {@link io.formix.transport.Transport}, the host that runs one or many nodes in one process,
 * per-node logs, process liveness and proposal validation.
 */
package io.formix.node;
