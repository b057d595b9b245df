package io.formix.node;

import io.formix.transport.MessageTooLargeException;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.TransportClosedException;
import io.formix.transport.seal.SealException;
import java.io.IOException;

/**
 * Why a send failed. {@code local}: a failure of this machine (too many open files, disk full, a
 * transient I/O error), retried with backoff until the computation's deadline; otherwise the
 * transport's own verdict that the peer is unknown or unreachable (or the message can never go).
 */
record SendFailure(String reason, boolean local) {

    static boolean isLocal(IOException e) {
        return !(e instanceof PeerUnavailableException
                || e instanceof MessageTooLargeException
                || e instanceof TransportClosedException
                || e instanceof SealException);
    }
}
