package io.formix.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which connections may carry a link: "the proxy gives a link only to its engine".
 *
 * <ul>
 *   <li>{@link #refusal}: a connection whose other end is a socket of another user (its owner in
 *       the {@link SocketTable}) than the proxy's own, or than a uid of {@code --allow-uid}, is
 *       refused, as is one whose other end is not a socket of this machine.</li>
 *   <li>{@link #probation}: an admitted connection starts on {@link Probation} until the process
 *       behind it has shown that it reads or writes.</li>
 * </ul>
 *
 * <p>Both need the socket table, so both are off where it cannot be read (no {@code /proc}) or
 * where the application's address is not one of this machine ({@code --app-host} on another
 * host): the proxy then trusts every connection, as before, and says so once at start.
 * Thread-safe (immutable).
 */
final class PeerGuard {
    private static final Logger LOG = LoggerFactory.getLogger(PeerGuard.class);
    /** Snapshots read before a connection's other end counts as missing. */
    private static final int LOOKUPS = 3;

    private final SocketTable table;
    private final int ownUid;
    private final Set<Integer> allowed;
    private final long probationNanos;

    private PeerGuard(SocketTable table, int ownUid, Set<Integer> allowed, long probationNanos) {
        this.table = table;
        this.ownUid = ownUid;
        this.allowed = allowed;
        this.probationNanos = probationNanos;
    }

    /**
     * The guard for {@code config}, reading {@code table} (null: no table on this system). Logs
     * one line if the checks are off.
     */
    static PeerGuard of(ProxyConfig config, SocketTable table) {
        Set<Integer> allowed = new TreeSet<>(config.allowUids());
        if (table == null) {
            LOG.warn("peer check off: /proc/net/tcp cannot be read on this system, so any local process that"
                    + " connects gets a link and messages written to it are acknowledged");
            return new PeerGuard(null, -1, allowed, 0);
        }
        if (!isLocal(config.appHost())) {
            LOG.warn(
                    "peer check off: --app-host {} is not an address of this machine, so its sockets cannot be"
                            + " seen; any process there that connects gets a link",
                    config.appHost().getHostAddress());
            return new PeerGuard(null, -1, allowed, 0);
        }
        int own = processUid();
        allowed.add(own);
        LOG.debug("peer check on: links only for sockets of uid {}", allowed);
        return new PeerGuard(table, own, allowed, config.probation().toNanos());
    }

    /** The user this process runs as (the owner of the sockets it creates). */
    static int processUid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /** Whether sockets of {@code uid} may carry a link. */
    boolean allows(int uid) {
        return table == null || allowed.contains(uid);
    }

    /**
     * Why {@code socket} must not carry a link, or empty if it may: its other end is a socket of
     * an allowed user. Reads the table once, or up to three times while the other end is missing.
     */
    Optional<String> refusal(Socket socket) {
        if (table == null) {
            return Optional.empty();
        }
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        InetSocketAddress self = (InetSocketAddress) socket.getLocalSocketAddress();
        if (peer == null || self == null) {
            return Optional.of("the connection is already closed");
        }
        Optional<SocketTable.Entry> theirs = Optional.empty();
        // A snapshot taken while sockets come and go may miss a line: look again before refusing.
        for (int attempt = 0; attempt < LOOKUPS && theirs.isEmpty(); attempt++) {
            try {
                theirs = SocketTable.connection(table.snapshot(), peer, self);
            } catch (IOException e) {
                return Optional.of("cannot read the socket table to find its owner (" + e.getMessage() + ")");
            }
        }
        if (theirs.isEmpty()) {
            return Optional.of("no socket of this machine is at its end (it closed at once, or it is not local)");
        }
        int uid = theirs.get().uid();
        if (!allows(uid)) {
            return Optional.of("it belongs to uid " + Integer.toUnsignedString(uid) + ", not to uid "
                    + Integer.toUnsignedString(ownUid)
                    + (allowed.size() > 1 ? " or one of --allow-uid " + allowed : ""));
        }
        return Optional.empty();
    }

    /**
     * The probation of a connection just admitted, or null if the checks are off (the connection
     * is trusted at once).
     *
     * @param othersWaiting whether, in a snapshot of the table, a connection other than the one
     *     from the given peer waits for the same link (only a listening link can tell)
     */
    Probation probation(Socket socket, BiPredicate<List<SocketTable.Entry>, InetSocketAddress> othersWaiting) {
        if (table == null) {
            return null;
        }
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        return new Probation(
                table,
                (InetSocketAddress) socket.getLocalSocketAddress(),
                peer,
                t -> othersWaiting.test(t, peer),
                probationNanos,
                System::nanoTime);
    }

    /** Whether {@code a} is loopback, the wildcard, or an address of one of this machine's interfaces. */
    static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
