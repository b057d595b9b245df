/**
 * Formix state in SQLite: the shared registry {@code network.db} (nodes, computations) and each
 * node's private {@code nodes/<uid>/node.db}, opened in WAL mode with busy timeouts and retried
 * short transactions so that many processes can use them at once.
 */
package io.formix.state;
