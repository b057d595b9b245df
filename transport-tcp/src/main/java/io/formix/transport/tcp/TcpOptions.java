package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link TcpTransport}. Immutable; start from {@link #defaults()} and change what you
 * need with the {@code with*} methods.
 *
 * <ul>
 *   <li>{@code maxMessageBytes} (64 MiB): largest payload sent, and accepted unless
 *       {@code maxReceiveBytes} says otherwise; a longer incoming length prefix closes that
 *       connection before anything is allocated.
 *   <li>{@code connectTimeout} (30 s): how long a {@code send} waits for a connection to its peer
 *       before it fails with {@link io.formix.transport.PeerUnavailableException}.
 *   <li>{@code backoffInitial} (10 ms) and {@code backoffMax} (1 s): the delay between connection
 *       attempts doubles from the first to the second.
 *   <li>{@code inboxBytesPerPeer} (16 MiB): received but not yet taken bytes held per sender;
 *       beyond that the reader stops reading and TCP flow control pushes back on the sender (a
 *       single message larger than this is still admitted when nothing else is queued).
 *   <li>{@code helloTimeout} (10 s): directory mode, how long each side waits for the other's
 *       hello frame on a fresh connection.
 *   <li>{@code maxInboundConnections} (4096): directory mode, how many inbound connections may be
 *       established (past their hello) at once; the hello of one more is answered with a refusal
 *       naming the limit, logged, and the connection closed. With {@code inboxBytesPerPeer} and
 *       {@code maxMessageBytes} this bounds the memory other parties can make this one hold.
 * </ul>
 */
public final class TcpOptions {

    private final int maxMessageBytes;
    private final Duration connectTimeout;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final long inboxBytesPerPeer;
    private final Duration helloTimeout;
    private final int maxInboundConnections;
    private final int maxReceiveBytes;

    private TcpOptions(
            int maxMessageBytes,
            Duration connectTimeout,
            Duration backoffInitial,
            Duration backoffMax,
            long inboxBytesPerPeer,
            Duration helloTimeout,
            int maxInboundConnections,
            int maxReceiveBytes) {
        if (maxMessageBytes < 0 || maxReceiveBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes and maxReceiveBytes must be >= 0");
        }
        if (maxInboundConnections < 1) {
            throw new IllegalArgumentException("maxInboundConnections must be >= 1");
        }
        if (inboxBytesPerPeer < 1) {
            throw new IllegalArgumentException("inboxBytesPerPeer must be >= 1");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(backoffInitial, "backoffInitial");
        requirePositive(backoffMax, "backoffMax");
        requirePositive(helloTimeout, "helloTimeout");
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax must be >= backoffInitial");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.connectTimeout = connectTimeout;
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        this.inboxBytesPerPeer = inboxBytesPerPeer;
        this.helloTimeout = helloTimeout;
        this.maxInboundConnections = maxInboundConnections;
        this.maxReceiveBytes = maxReceiveBytes;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** The defaults listed in the class documentation. */
    public static TcpOptions defaults() {
        return new TcpOptions(
                FrameCodec.DEFAULT_MAX_MESSAGE_BYTES,
                Duration.ofSeconds(30),
                Duration.ofMillis(10),
                Duration.ofSeconds(1),
                16L * 1024 * 1024,
                Duration.ofSeconds(10),
                4096,
                FrameCodec.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** Sets the largest payload sent, and the largest accepted too (set that apart with {@link #withMaxReceiveBytes}). */
    public TcpOptions withMaxMessageBytes(int v) {
        return new TcpOptions(
                v,
                connectTimeout,
                backoffInitial,
                backoffMax,
                inboxBytesPerPeer,
                helloTimeout,
                maxInboundConnections,
                v);
    }

    /**
     * Sets the largest payload accepted, when it differs from the largest sent (a party that sends
     * large messages but must only ever receive small ones). Set it after {@link #withMaxMessageBytes}.
     */
    public TcpOptions withMaxReceiveBytes(int v) {
        return new TcpOptions(
                maxMessageBytes,
                connectTimeout,
                backoffInitial,
                backoffMax,
                inboxBytesPerPeer,
                helloTimeout,
                maxInboundConnections,
                v);
    }

    /** The largest payload accepted: a longer incoming length prefix closes the connection. */
    public int maxReceiveBytes() {
        return maxReceiveBytes;
    }

    public TcpOptions withConnectTimeout(Duration v) {
        return new TcpOptions(
                maxMessageBytes,
                v,
                backoffInitial,
                backoffMax,
                inboxBytesPerPeer,
                helloTimeout,
                maxInboundConnections,
                maxReceiveBytes);
    }

    public TcpOptions withBackoff(Duration initial, Duration max) {
        return new TcpOptions(
                maxMessageBytes,
                connectTimeout,
                initial,
                max,
                inboxBytesPerPeer,
                helloTimeout,
                maxInboundConnections,
                maxReceiveBytes);
    }

    public TcpOptions withInboxBytesPerPeer(long v) {
        return new TcpOptions(
                maxMessageBytes,
                connectTimeout,
                backoffInitial,
                backoffMax,
                v,
                helloTimeout,
                maxInboundConnections,
                maxReceiveBytes);
    }

    public TcpOptions withHelloTimeout(Duration v) {
        return new TcpOptions(
                maxMessageBytes,
                connectTimeout,
                backoffInitial,
                backoffMax,
                inboxBytesPerPeer,
                v,
                maxInboundConnections,
                maxReceiveBytes);
    }

    /** Directory mode: the most inbound connections established at once; see the class documentation. */
    public TcpOptions withMaxInboundConnections(int v) {
        return new TcpOptions(
                maxMessageBytes,
                connectTimeout,
                backoffInitial,
                backoffMax,
                inboxBytesPerPeer,
                helloTimeout,
                v,
                maxReceiveBytes);
    }

    public int maxInboundConnections() {
        return maxInboundConnections;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration backoffInitial() {
        return backoffInitial;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    public long inboxBytesPerPeer() {
        return inboxBytesPerPeer;
    }

    public Duration helloTimeout() {
        return helloTimeout;
    }
}
