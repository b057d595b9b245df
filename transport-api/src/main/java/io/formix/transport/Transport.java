package io.formix.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Moves opaque messages between named parties, one ordered channel per direction.
 *
 * <p>A {@code Transport} is the endpoint of one party, {@link #self()}. It sends byte arrays to
 * other parties and receives theirs. Implementations: {@code InMemoryTransport} (tests, one JVM),
 * {@code FileTransport} (the default: files in one folder per direction, carried between machines
 * by any folder sync) and {@code TcpTransport}.
 *
 * <h2>Ordering</h2>
 * Messages from one sender to one receiver are delivered in the order {@link #send} was called
 * (FIFO per direction), with no gap and no duplicate while both sides run. There is no order
 * between different senders.
 *
 * <h2>Blocking</h2>
 * {@link #send} returns once the message is handed to the backend: written and renamed into place
 * for files (and fsynced when the backend is durable), written to the socket buffer for TCP. It
 * may block while the backend applies backpressure (a full socket buffer, a bounded queue); it
 * never buffers without bound. {@link #receive} and {@link #receiveAny} block until a message is
 * available, the timeout elapses (an empty {@code Optional}), the thread is interrupted
 * ({@link InterruptedException}) or the transport is closed ({@link TransportClosedException}).
 *
 * <h2>Restarts</h2>
 * A <em>durable</em> backend ({@link #isDurable()}, the file backend) keeps every sent message
 * until the receiver takes it, across a restart of either side: nothing is lost, numbers are never
 * reused. A message is acknowledged, and removed from durable storage, when the receiver next
 * receives on its channel ({@code receive(from)} with the same sender, or {@code receiveAny}) or
 * calls {@link #close()}; so one thread per sender may consume without acknowledging another
 * thread's message. A receiver killed after {@code receive} returned message <em>n</em> but before
 * that acknowledgement sees <em>n</em> once more after its restart, with the same
 * {@link Message#sequence()}, and never any other duplicate. A receiver that records the last
 * sequence it processed per sender therefore gets exactly-once processing.
 *
 * <p>A non-durable backend (TCP, in-memory) loses what is in flight when a side dies, and
 * reconnects to a restarted peer. A send that cannot be written fails with a
 * {@link TransportException}. Whether a message that {@code send} already handed to the network,
 * and that the dead peer never took, is reported depends on the mode:
 * <ul>
 *   <li>TCP <b>directory</b> mode acknowledges what the receiver's application took, so such a
 *       loss is reported to the sender: the next {@code send} to that peer (or
 *       {@code awaitDelivered}) throws {@link PeerUnavailableException} naming how many messages
 *       were not confirmed.
 *   <li>TCP <b>pairwise</b> mode carries plain frames with no acknowledgements on the wire, so
 *       that engines such as Sequre and the proxy can speak it; it <em>cannot</em> report a
 *       message lost in flight when the peer dies: that {@code send} returned normally and no
 *       later call says otherwise. Only the write that fails is reported.
 * </ul>
 * Callers that need exactly-once across restarts use a durable backend.
 *
 * <h2>Size</h2>
 * Payloads hold 0 to {@link #maxMessageBytes()} bytes. A larger send fails with
 * {@link MessageTooLargeException} before anything is written; an incoming length above
 * {@link #maxReceiveBytes()} (by default the same bound) is rejected before anything is allocated.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Concurrent {@code send}s to the same party are serialised; each is
 * delivered whole. Concurrent receivers each get distinct messages.
 *
 * <h2>Ownership</h2>
 * {@code send} does not keep the caller's array after it returns; the caller may reuse it. A
 * received payload is a fresh array owned by the caller.
 *
 * <h2>Optional capabilities</h2>
 * A backend may also implement {@link RejectingTransport} (the layer above refuses a message
 * without using up its number) and {@link NumberedTransport} (the sender learns a message's number
 * before it is written). The file backend implements both.
 *
 * <h2>Closing</h2>
 * {@link #close()} is idempotent. It wakes every thread blocked in {@code receive} or {@code send}
 * with a {@link TransportClosedException}; later calls throw the same. It releases locks, sockets,
 * watchers and threads, and acknowledges messages already returned. It does not wait for peers.
 */
public interface Transport extends AutoCloseable {

    /** The party this endpoint speaks for. */
    PartyId self();

    /**
     * Sends {@code payload} to {@code to}.
     *
     * @throws IllegalArgumentException if {@code to} is {@link #self()}
     * @throws MessageTooLargeException if the payload exceeds {@link #maxMessageBytes()}
     * @throws TransportClosedException if this transport is closed
     * @throws TransportException if the backend cannot take the message (disk full, permission
     *     denied, peer gone); nothing partial is visible to the receiver
     * @throws InterruptedException if interrupted while blocked by backpressure
     */
    void send(PartyId to, byte[] payload) throws IOException, InterruptedException;

    /**
     * Receives the next message from {@code from}, waiting up to {@code timeout}.
     *
     * @return the message, or empty if none arrived in time
     * @throws CorruptMessageException if the next message on the channel is corrupt; the backend
     *     sets it aside and the following call continues with the next message
     * @throws TransportClosedException if this transport is closed, before or while waiting
     */
    Optional<Message> receive(PartyId from, Duration timeout) throws IOException, InterruptedException;

    /**
     * Receives the next message from any party, waiting up to {@code timeout}. Per-sender FIFO
     * order holds; no sender is starved while others have messages waiting.
     *
     * @return the message, or empty if none arrived in time
     * @throws CorruptMessageException as for {@link #receive}
     * @throws TransportClosedException if this transport is closed, before or while waiting
     */
    Optional<Message> receiveAny(Duration timeout) throws IOException, InterruptedException;

    /** The largest payload, in bytes, this transport sends (and accepts, unless {@link #maxReceiveBytes} is smaller). */
    int maxMessageBytes();

    /**
     * The largest payload, in bytes, this transport accepts: an incoming length above it is rejected
     * before anything is allocated. By default {@link #maxMessageBytes()}; smaller for a party that
     * sends large messages but must only ever receive small ones.
     */
    default int maxReceiveBytes() {
        return maxMessageBytes();
    }

    /** Whether messages survive a restart of either side (see the class documentation). */
    boolean isDurable();

    /** Closes this endpoint; see the class documentation. Never throws for an already-closed one. */
    @Override
    void close() throws IOException;
}
