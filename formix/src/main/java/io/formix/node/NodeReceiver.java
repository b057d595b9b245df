package io.formix.node;

/**
 * What takes a hosted node's messages from its transport: a thread of its own running a {@link
 * ReceiveLoop} (heavy nodes, and transports that cannot say when a message arrived), or a turn on
 * the host's {@link SharedReceivers}. The host starts it once the node resumed, and joins it when the
 * node stops, before the node's transport closes (closing acknowledges what was received).
 */
interface NodeReceiver {

    /** Begins receiving. */
    void start();

    /**
     * After the node was asked to stop: waits up to {@code millis} until no message is being handed
     * to the node any more and none will be; true if that happened in time.
     */
    boolean join(long millis) throws InterruptedException;

    /** A receiver thread, not yet started. */
    static NodeReceiver of(Thread thread) {
        return new NodeReceiver() {
            @Override
            public void start() {
                thread.start();
            }

            @Override
            public boolean join(long millis) throws InterruptedException {
                thread.join(millis);
                return !thread.isAlive();
            }
        };
    }
}
