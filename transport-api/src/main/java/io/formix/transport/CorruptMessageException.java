package io.formix.transport;

/**
 * An incoming message is malformed: a negative length prefix, one above the maximum, or one that
 * disagrees with the bytes present. The backend has set the message aside (the file backend moves
 * the files into a quarantine folder); the channel continues with the next message. The file
 * backend also reports an entry that no sender ever writes (a link, FIFO, folder or device in place
 * of a message or marker file): it sets that entry aside and keeps waiting for the message under
 * the same number, which the sender may still write.
 */
public class CorruptMessageException extends TransportException {
    private final PartyId from;
    private final long sequence;

    public CorruptMessageException(PartyId from, long sequence, String reason) {
        super("corrupt message " + sequence + " from " + from + ": " + reason);
        this.from = from;
        this.sequence = sequence;
    }

    /** The sender of the corrupt message. */
    public PartyId from() {
        return from;
    }

    /** Its number on the channel. */
    public long sequence() {
        return sequence;
    }
}
