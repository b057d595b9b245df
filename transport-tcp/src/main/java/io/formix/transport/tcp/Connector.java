package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.TransportException;
import java.io.IOException;

/**
 * The connecting half of a {@link TcpTransport}: it listens and dials according to its layout
 * (on the transport's {@link IoLoop}, or in a sending thread), hands every inbound connection to a
 * {@link Reader}, and produces the connection a send goes out on. The messaging half
 * ({@link FramedConnection}, {@link Inbox}) knows nothing of how sockets were made.
 */
interface Connector {

    /** Binds listening sockets and starts accepting (and, pairwise, dialling) on the I/O loop. */
    void start() throws IOException;

    /** Whether receivers acknowledge delivered messages on outbound connections (see {@link AckChannel}). */
    boolean acknowledges();

    /** Throws {@link IllegalArgumentException} if this layout cannot reach {@code peer} at all. */
    void checkPeer(PartyId peer);

    /**
     * Returns an open connection to send to {@code link.peer}, waiting or dialling until
     * {@code deadlineNanos}. Called with {@code link.sendLock} held.
     *
     * @throws io.formix.transport.PeerUnavailableException if none is up by the deadline
     * @throws io.formix.transport.TransportClosedException if the transport closed meanwhile
     */
    FramedConnection outbound(Link link, long deadlineNanos) throws TransportException, InterruptedException;

    /**
     * Closes the listening sockets and sends due acknowledgements; connections are closed by the
     * transport afterwards.
     */
    void close();
}
