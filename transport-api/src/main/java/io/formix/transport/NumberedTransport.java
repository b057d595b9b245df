package io.formix.transport;

import java.io.IOException;

/**
 * A {@link Transport} whose sender knows, before it writes, the sequence number the receiver will
 * see: the file transport numbers each channel itself (its sender's record), so the number of the
 * next message is fixed before anything is written. Optional: a layer that wants to bind the
 * number inside the message (the sealing transport signs it in its header) checks
 * {@code instanceof NumberedTransport} and otherwise numbers on its own.
 *
 * <h2>Contract of {@link #sendNumbered}</h2>
 * {@code build} is called once, with the number {@code n} the message will have on the channel to
 * {@code to}, while sends on that channel are serialised; the payload it returns is sent as
 * message {@code n}, and the receiver's {@link Message#sequence()} of it is {@code n} (also when
 * it is delivered again after a receiver restart). Numbers passed to {@code build} rise strictly
 * per channel, with one exception: if the send fails ({@code build} throws, the payload is too
 * large, or the backend cannot take it), nothing was published and the next send may be given the
 * same {@code n}. {@code build} must be quick and must not call this transport.
 */
public interface NumberedTransport extends Transport {

    /** Makes a message's payload once its number is known. */
    @FunctionalInterface
    interface Payload {
        /** The payload of message {@code sequence}; a fresh array the transport may keep. */
        byte[] forNumber(long sequence) throws IOException;
    }

    /**
     * Sends the payload {@code build} makes for the number the message gets, as {@link #send}
     * does otherwise.
     *
     * @return the message's sequence number on its channel
     * @throws IllegalArgumentException if {@code to} is {@link #self()}
     * @throws MessageTooLargeException if the payload exceeds {@link #maxMessageBytes()}; nothing sent
     * @throws IOException what {@code build} throws (nothing sent), or as {@link #send}
     */
    long sendNumbered(PartyId to, Payload build) throws IOException, InterruptedException;
}
