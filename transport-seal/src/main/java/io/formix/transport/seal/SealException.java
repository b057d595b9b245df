package io.formix.transport.seal;

import io.formix.transport.TransportException;

/**
 * A message could not be sealed: the recipient is not in the key directory or has no encryption
 * key usable now. Nothing was sent.
 */
public class SealException extends TransportException {
    public SealException(String message) {
        super(message);
    }
}
