package io.formix.node;

/** A proposal was refused before anything was sent; the message says why and what to do. */
public final class ProposalException extends Exception {
    public ProposalException(String message) {
        super(message);
    }
}
