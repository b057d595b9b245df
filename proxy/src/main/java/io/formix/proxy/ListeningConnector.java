package io.formix.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the application's connections on a port bound once, at start. One connection is served
 * at a time; a second connection attempt waits in the backlog until the first one ends.
 */
final class ListeningConnector implements AppConnector {
    private static final Logger LOG = LoggerFactory.getLogger(ListeningConnector.class);

    private final Link link;
    private final ServerSocket server;
    private volatile boolean stopped;

    private ListeningConnector(Link link, ServerSocket server) {
        this.link = link;
        this.server = server;
    }

    /**
     * Binds the link's port now, so a port in use fails the start instead of a later accept.
     *
     * @throws PortInUseException naming the port
     */
    static ListeningConnector bind(Link link, InetAddress host) throws PortInUseException {
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, link.port()), 4);
            return new ListeningConnector(link, s);
        } catch (IOException e) {
            closeQuietly(s);
            throw new PortInUseException(link.port(), "cannot listen on " + host.getHostAddress() + ":"
                    + link.port() + " (" + e.getMessage() + "): the port is in use by another process,"
                    + " for example a previous formix-proxy; stop it or choose another --base-port", e);
        }
    }

    @Override
    public Socket next() throws IOException {
        if (!stopped) {
            LOG.info("{}: listening on {}:{} for the application of party {} (link to party {})",
                    link.name(), server.getInetAddress().getHostAddress(), link.port(), link.pid(), link.peer());
        }
        while (!stopped) {
            try {
                return server.accept();
            } catch (SocketException e) {
                if (stopped) {
                    return null;
                }
                throw e;
            }
        }
        return null;
    }

    @Override
    public void stop() {
        stopped = true;
        closeQuietly(server);
    }

    private static void closeQuietly(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a listening socket has nothing left to report
            }
        }
    }
}
