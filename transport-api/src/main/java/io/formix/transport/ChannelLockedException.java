package io.formix.transport;

/** Another process already holds this end of the channel (a second copy of the same party). */
public class ChannelLockedException extends TransportException {
    public ChannelLockedException(String message) {
        super(message);
    }
}
