package io.formix.proxy;

/**
 * One pair as seen by the proxy of {@code pid}: the peer, whether the proxy listens for its
 * application or connects to it, and the TCP port. Frames read from this link's socket go to
 * channel {@code <pid>_to_<peer>}; messages from {@code <peer>_to_<pid>} are written to it.
 */
public record Link(int pid, int peer, Role role, int port) {

    /** The proxy's side of the TCP connection with its own application. */
    public enum Role {
        /** The application listens (pid &lt; peer); the proxy connects to it. */
        CONNECT,
        /** The application connects (pid &gt; peer); the proxy listens for it. */
        LISTEN
    }

    /** A short name for logs: {@code 0<->1}. */
    public String name() {
        return pid + "<->" + peer;
    }
}
