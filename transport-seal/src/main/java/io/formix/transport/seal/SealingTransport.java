package io.formix.transport.seal;

import io.formix.transport.Message;
import io.formix.transport.NumberedTransport;
import io.formix.transport.PartyId;
import io.formix.transport.RejectingTransport;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import io.formix.transport.spi.SendArguments;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Transport} that seals and signs every message it sends and opens only messages sealed
 * to it and signed by their sender, over any other transport (file, TCP, in-memory). The wrapped
 * transport carries envelopes (see {@code docs/security.md}); its wire format is unchanged.
 *
 * <h2>Sending</h2>
 * {@code send(to, payload)} seals {@code payload} to {@code to}'s newest encryption key whose
 * not-before has passed ({@link NodeDescriptor#currentKey}), as the {@link KeyDirectory} gives it,
 * and signs it with this node's identity key. It fails with {@link SealException} (nothing sent)
 * if {@code to} has no such key.
 *
 * <h2>The number in the header</h2>
 * Over a {@link NumberedTransport} (the file transport) the header's {@code seq} is the message's
 * own transport sequence number, which that transport tells the sender before it writes
 * ({@link NumberedTransport#sendNumbered}); the receiver, over the same kind of transport, accepts
 * a message only if {@code seq} equals the {@link Message#sequence()} it arrived with. A copy at
 * another number is then refused even by a receiver that restarted and forgot every message id,
 * and the file transport never delivers a number below its cursor, so no old message can be
 * replayed. Both ends of a channel must therefore wrap the same kind of transport.
 *
 * <p>Other transports do not tell a sender the number before it sends (TCP numbers per
 * connection; in-memory numbers on receipt), so over them the header binds a per-channel counter
 * instead: this transport numbers its messages to each recipient
 * {@code max(previous + 1, now in microseconds)}. Counters therefore keep rising across a sender
 * restart as long as its clock does not go back. In both modes the receiver also accepts only a
 * {@code seq} above the last one it accepted from that sender. Together with {@code from},
 * {@code to} and the network id in the signed header, a message copied to another channel, another
 * position or another network is refused.
 *
 * <h2>Receiving</h2>
 * Each incoming message goes through the checks of {@link Step} in order. A message that fails one
 * is reported to the {@link RejectionListener} (channel, sequence, size, step; never content),
 * counted in {@link #rejectedCount()}, and {@code receive} goes on with the next message within
 * the same timeout: a forged or damaged message never reaches the caller and never throws. A
 * message whose id was already accepted from that sender (the last {@code replayMemory} ids per
 * sender are remembered) is ignored and counted in {@link #duplicateCount()}. The returned
 * {@link Message} carries the wrapped transport's sequence number, so a crash redelivery (same
 * sequence, same envelope, after the receiver restarted) looks to the caller exactly as without
 * sealing.
 *
 * <h2>Refused messages and the wrapped transport's numbers</h2>
 * When the wrapped transport is a {@link RejectingTransport} (the file transport), a message that
 * could have been made by someone other than its sender, or copied from elsewhere, is handed back
 * with {@link RejectingTransport#reject}: the transport sets it aside and keeps waiting for its
 * number, so a forgery planted at the next number cannot use up the number of the genuine message
 * that arrives later. That covers every step of {@link #REJECTED_STEPS} and a repeated message id
 * at another transport number than the one it was accepted at (a copy); a repeated id at the same
 * number (the transport delivering it again) is ignored and acknowledged as before. Steps
 * {@link Step#TIMESTAMP} and {@link Step#PADDING} fail only on what the signing sender itself
 * made (the signature and the ciphertext are checked first): those are acknowledged, so the
 * channel moves on instead of waiting for a replacement that will never come. Over a transport
 * without the capability everything refused is acknowledged, as before.
 *
 * <h2>Threads</h2>
 * Thread-safe. Sends to one recipient are sealed and handed on one at a time, so counters reach the
 * wrapped transport in order. Receives from one sender ({@code receive(from)}) are checked one at
 * a time, as are all {@code receiveAny} calls; a caller that mixes {@code receive(from)} and
 * {@code receiveAny} concurrently for the same sender may see a message refused at
 * {@link Step#SEQUENCE}, because the two can take messages from the wrapped transport in one order
 * and check them in the other. Formix nodes use one or the other.
 *
 * <h2>What this does not do</h2>
 * Replay memory (message ids, the last {@code seq}) lives in memory. Over a
 * {@link NumberedTransport} that loses nothing: a replayed message must arrive at its own number,
 * and the file transport never delivers a number it has passed. Over other transports a receiver
 * that restarts accepts any counter from each sender once more, so an old message replayed after
 * a receiver restart is caught only by the caller's own idempotence (a share counted once per light
 * node). Sizes, timing and who talks to whom stay visible to whoever carries the bytes.
 */
public final class SealingTransport implements Transport {

    /**
     * The most bytes sealing adds to a payload without padding: the envelope's fixed fields, the
     * longest header, the AEAD tag and the 4-byte length prefix inside the plaintext.
     */
    public static final int MAX_OVERHEAD_BYTES = Envelope.MAX_OVERHEAD + Padding.PREFIX;
    /** Default time a key still opens messages after its expiry. */
    public static final Duration DEFAULT_KEY_GRACE = Duration.ofHours(24);
    /** Default number of message ids remembered per sender. */
    public static final int DEFAULT_REPLAY_MEMORY = 65_536;

    /** Steps whose failure is handed back with {@link RejectingTransport#reject} when the transport can. */
    public static final Set<Step> REJECTED_STEPS = Collections.unmodifiableSet(EnumSet.of(
            Step.PARSE,
            Step.SENDER,
            Step.SIGNATURE,
            Step.NETWORK,
            Step.RECIPIENT,
            Step.CHANNEL,
            Step.DUPLICATE,
            Step.SEQUENCE,
            Step.KEY_UNKNOWN,
            Step.KEY_EXPIRED,
            Step.DECRYPT));

    private final Transport inner;
    /** {@link #inner} if it can reject a message without advancing; null otherwise. */
    private final RejectingTransport rejecting;
    /** {@link #inner} if it tells the sender the number first: the header then carries that number. */
    private final NumberedTransport numbered;

    private final PartyId self;
    private final Sealer sealer;
    private final Opener opener;
    private final Clock clock;
    private final RejectionListener listener;
    private final int replayMemory;
    private final int maxMessageBytes;
    private final int maxReceiveBytes;
    private final ConcurrentHashMap<PartyId, SendChannel> sending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PartyId, ReentrantLock> receiving = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PartyId, ReplayState> replay = new ConcurrentHashMap<>();
    private final ReentrantLock anyLock = new ReentrantLock();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile boolean closed;

    /** The counter of one outgoing channel, and the lock that keeps its messages in order. */
    private static final class SendChannel {
        final ReentrantLock lock = new ReentrantLock();
        long last = -1;
    }

    private SealingTransport(Builder b) {
        this.inner = b.inner;
        this.rejecting = b.inner instanceof RejectingTransport r ? r : null;
        this.numbered = b.inner instanceof NumberedTransport n ? n : null;
        this.self = b.inner.self();
        this.clock = b.clock;
        this.listener = b.listener;
        this.replayMemory = b.replayMemory;
        this.sealer = new Sealer(b.network, self, b.keys.identity(), b.directory, b.clock, b.padTo);
        this.opener = new Opener(b.network, self, b.keys, b.directory, b.clock, b.keyGrace, b.inner.maxReceiveBytes());
        long room = (long) b.inner.maxMessageBytes() - Envelope.MAX_OVERHEAD;
        long max = (b.padTo > 0 ? room / b.padTo * b.padTo : room) - Padding.PREFIX;
        if (max < 0) {
            throw new IllegalArgumentException("the wrapped transport's maximum of " + b.inner.maxMessageBytes()
                    + " bytes leaves no room for a sealed message");
        }
        this.maxMessageBytes = (int) max;
        this.maxReceiveBytes = (int) Math.max(0, Math.min(max, (long) b.inner.maxReceiveBytes() - MAX_OVERHEAD_BYTES));
    }

    /**
     * Starts building a sealing transport over {@code inner} for the node whose keys are
     * {@code keys}, in network {@code network}, finding other nodes' keys in {@code directory}.
     * {@code inner.self()} is this node's uid.
     */
    public static Builder builder(Transport inner, NodeKeys keys, NetworkId network, KeyDirectory directory) {
        return new Builder(inner, keys, network, directory);
    }

    /** Options of a {@link SealingTransport}; each has a default. */
    public static final class Builder {
        private final Transport inner;
        private final NodeKeys keys;
        private final NetworkId network;
        private final KeyDirectory directory;
        private Clock clock = Clock.systemUTC();
        private Duration keyGrace = DEFAULT_KEY_GRACE;
        private int padTo;
        private RejectionListener listener = RejectionListener.NONE;
        private int replayMemory = DEFAULT_REPLAY_MEMORY;

        private Builder(Transport inner, NodeKeys keys, NetworkId network, KeyDirectory directory) {
            this.inner = Objects.requireNonNull(inner, "inner");
            this.keys = Objects.requireNonNull(keys, "keys");
            this.network = Objects.requireNonNull(network, "network");
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The clock for timestamps, counters and key validity (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long after its expiry this node's key still opens messages (default 24 h). */
        public Builder keyGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("grace must be >= 0");
            }
            this.keyGrace = grace;
            return this;
        }

        /**
         * Pads every plaintext, with its 4-byte length prefix, to a multiple of {@code bytes}
         * (default 0: no padding), so that messages of different lengths look alike on the wire.
         */
        public Builder padTo(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("padTo must be >= 0");
            }
            this.padTo = bytes;
            return this;
        }

        /** Who is told of refused and duplicate messages (default: nobody; they are still counted). */
        public Builder rejectionListener(RejectionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How many message ids to remember per sender (default 65 536). */
        public Builder replayMemory(int ids) {
            if (ids < 1) {
                throw new IllegalArgumentException("replay memory must be >= 1");
            }
            this.replayMemory = ids;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the wrapped transport's maximum leaves no room for a
         *     sealed message
         */
        public SealingTransport build() {
            return new SealingTransport(this);
        }
    }

    @Override
    public PartyId self() {
        return self;
    }

    /**
     * Seals {@code payload} to {@code to} and sends the envelope on the wrapped transport.
     *
     * @throws SealException if {@code to} has no encryption key usable now; nothing was sent
     * @see Transport#send
     */
    @Override
    public void send(PartyId to, byte[] payload) throws IOException, InterruptedException {
        SendArguments.check(self, to, payload, maxMessageBytes);
        checkOpen();
        SendChannel ch = sending.computeIfAbsent(to, t -> new SendChannel());
        ch.lock.lockInterruptibly();
        try {
            checkOpen();
            if (numbered != null) {
                numbered.sendNumbered(to, n -> sealer.seal(to, n, payload));
                return;
            }
            long seq = Math.max(ch.last + 1, micros(clock.instant()));
            byte[] envelope = sealer.seal(to, seq, payload);
            // Never reused, even if the send below fails: the receiver only needs counters to rise.
            ch.last = seq;
            inner.send(to, envelope);
        } finally {
            ch.lock.unlock();
        }
    }

    private static long micros(Instant t) {
        return Math.max(0, t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    }

    @Override
    public Optional<Message> receive(PartyId from, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(from, "from");
        checkOpen();
        long deadline = deadline(timeout);
        ReentrantLock lock = receiving.computeIfAbsent(from, f -> new ReentrantLock());
        if (!lock.tryLock(left(deadline), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        try {
            while (true) {
                checkOpen();
                Optional<Message> m = inner.receive(from, Duration.ofNanos(left(deadline)));
                if (m.isEmpty()) {
                    return m;
                }
                Optional<Message> accepted = accept(m.get());
                if (accepted.isPresent()) {
                    return accepted;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message> receiveAny(Duration timeout) throws IOException, InterruptedException {
        checkOpen();
        long deadline = deadline(timeout);
        if (!anyLock.tryLock(left(deadline), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        try {
            while (true) {
                checkOpen();
                Optional<Message> m = inner.receiveAny(Duration.ofNanos(left(deadline)));
                if (m.isEmpty()) {
                    return m;
                }
                Optional<Message> accepted = accept(m.get());
                if (accepted.isPresent()) {
                    return accepted;
                }
            }
        } finally {
            anyLock.unlock();
        }
    }

    private static long deadline(Duration timeout) {
        long now = System.nanoTime();
        long nanos = timeout.isNegative()
                ? 0
                : timeout.compareTo(Duration.ofDays(365)) > 0
                        ? Duration.ofDays(365).toNanos()
                        : timeout.toNanos();
        return now + nanos;
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Runs every check on one incoming message; empty if it was refused or a duplicate. */
    private Optional<Message> accept(Message m) throws IOException {
        byte[] envelope = m.payload();
        String copy = null;
        try {
            VerifiedEnvelope v = opener.verify(envelope, m.from());
            ReplayState state = replay.computeIfAbsent(m.from(), f -> new ReplayState(replayMemory));
            synchronized (state) {
                byte[] mid = v.envelope.header.mid();
                if (state.seen(mid)) {
                    duplicates.incrementAndGet();
                    long at = state.acceptedAt(mid);
                    if (rejecting == null || at == m.sequence()) {
                        tell(m, Step.DUPLICATE, "message id " + v.messageId() + " was already accepted; ignored");
                        return Optional.empty();
                    }
                    copy = "message id " + v.messageId() + " was already accepted as message " + at
                            + "; a copy, set aside";
                } else {
                    if (numbered != null && v.seq() != m.sequence()) {
                        throw new EnvelopeRejectedException(
                                Step.SEQUENCE,
                                "numbered " + v.seq() + " by its sender but arrived as message " + m.sequence());
                    }
                    if (v.seq() <= state.lastSeq()) {
                        throw new EnvelopeRejectedException(
                                Step.SEQUENCE,
                                "counter " + v.seq() + " is not above the last accepted " + state.lastSeq());
                    }
                    byte[] payload = opener.open(v);
                    state.accept(mid, v.seq(), m.sequence());
                    return Optional.of(new Message(m.from(), m.sequence(), payload));
                }
            }
        } catch (EnvelopeRejectedException e) {
            reject(m, e.step(), e.detail());
            return Optional.empty();
        } catch (RuntimeException e) {
            // A bug must not let a hostile message crash the receiver; it is refused like the rest.
            reject(m, Step.PARSE, "unexpected " + e.getClass().getSimpleName());
            return Optional.empty();
        }
        // A known id at another number is a copy: handed back so that it cannot use up that number.
        tell(m, Step.DUPLICATE, copy);
        handBack(m, Step.DUPLICATE, copy);
        return Optional.empty();
    }

    private void reject(Message m, Step step, String detail) throws IOException {
        rejected.incrementAndGet();
        tell(m, step, detail);
        if (REJECTED_STEPS.contains(step)) {
            handBack(m, step, detail);
        }
    }

    /** Hands a refused message back to a transport that can set it aside without advancing. */
    private void handBack(Message m, Step step, String detail) throws IOException {
        if (rejecting != null) {
            try {
                rejecting.reject(m, step.description() + ": " + detail);
            } catch (IllegalStateException e) {
                // Already acknowledged by a concurrent receive (see "Threads"): its number is used up.
            }
        }
    }

    private void tell(Message m, Step step, String detail) {
        try {
            listener.rejected(new Rejection(
                    m.from(), self, m.sequence(), m.payload().length, step, step.description() + ": " + detail));
        } catch (RuntimeException ignored) {
            // the listener's failure is its own; the receiver goes on
        }
    }

    /** Messages refused so far (every step but {@link Step#DUPLICATE}). */
    public long rejectedCount() {
        return rejected.get();
    }

    /** Messages ignored so far because their id had already been accepted. */
    public long duplicateCount() {
        return duplicates.get();
    }

    /** The largest payload: the wrapped transport's maximum less {@link #MAX_OVERHEAD_BYTES} (and padding). */
    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** The largest payload accepted: the wrapped transport's less {@link #MAX_OVERHEAD_BYTES}. */
    @Override
    public int maxReceiveBytes() {
        return maxReceiveBytes;
    }

    @Override
    public boolean isDurable() {
        return inner.isDurable();
    }

    /** Closes the wrapped transport, waking every blocked call as {@link Transport#close()} says. */
    @Override
    public void close() throws IOException {
        closed = true;
        inner.close();
    }

    private void checkOpen() throws TransportClosedException {
        if (closed) {
            throw new TransportClosedException("sealing transport of " + self + " is closed");
        }
    }

    @Override
    public String toString() {
        return "SealingTransport[" + self + " over " + inner + "]";
    }
}
