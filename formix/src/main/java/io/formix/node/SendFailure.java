package io.formix.node;

import io.formix.transport.MessageTooLargeException;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.TransportClosedException;
import io.formix.transport.seal.SealException;
import java.io.IOException;

/**
 * Why a send failed. {@code local}: a failure of this machine (too many open files, disk full, a
 * transient I/O error), retried with backoff until the computation's deadline; otherwise the
 * transport's own verdict that the peer is unknown or unreachable ({@code peerAway}), or that the
 * message can never go.
 */
record SendFailure(String reason, boolean local, boolean peerAway) {

    static SendFailure of(IOException e) {
        return new SendFailure(String.valueOf(e.getMessage()), isLocal(e), e instanceof PeerUnavailableException);
    }

    /** A failure of this machine: worth retrying for any recipient. */
    static SendFailure local(String reason) {
        return new SendFailure(reason, true, false);
    }

    /** A failure that can never be retried (interrupted, the transport closed). */
    static SendFailure permanent(String reason) {
        return new SendFailure(reason, false, false);
    }

    static boolean isLocal(IOException e) {
        return !(e instanceof PeerUnavailableException
                || e instanceof MessageTooLargeException
                || e instanceof TransportClosedException
                || e instanceof SealException);
    }
}
