package io.formix.proxy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link Proxy} needs besides its transport. Build with {@link #builder}; the record
 * validates on construction (ports via {@link PortPlan}, positive sizes and durations).
 *
 * @param pid this proxy's party number, {@code 0 <= pid < parties}
 * @param parties number of parties
 * @param basePort where the proxy listens for applications that connect ({@code --base-port})
 * @param sequreBasePort where applications listen for the proxy ({@code --sequre-base-port})
 * @param framing how the byte stream becomes messages
 * @param rawChunkBytes the largest chunk in {@link Framing#RAW} mode
 * @param appHost the address of the local application (listen and connect), normally loopback
 * @param backoffMin first delay between connection attempts to a late application
 * @param backoffMax the delay never grows beyond this
 * @param poll how long one wait for an inbound message lasts before the pump re-checks its state
 * @param shutdownGrace how long a shutdown lets a frame in hand finish before rolling it back
 * @param stateDir where the proxy marks, per link, the inbound message it wrote to its application
 *     until the transport has acknowledged it, so a restart after a crash does not write it again
 *     (24 bytes per link, never forced to disk); {@code null}: no marks, for non-durable
 *     transports, whose messages do not outlive the process anyway
 * @param allowUids users besides the proxy's own whose sockets may connect to it or accept its
 *     connections ({@code --allow-uid}); empty for only the proxy's own user
 * @param probation how long a new connection may leave the message written to it unread while
 *     another connection waits for the link, before the proxy closes it and serves the next one
 */
public record ProxyConfig(
        int pid,
        int parties,
        int basePort,
        int sequreBasePort,
        Framing framing,
        int rawChunkBytes,
        InetAddress appHost,
        Duration backoffMin,
        Duration backoffMax,
        Duration poll,
        Duration shutdownGrace,
        Path stateDir,
        Set<Integer> allowUids,
        Duration probation) {

    /** Default raw chunk: 1 MiB. */
    public static final int DEFAULT_RAW_CHUNK_BYTES = 1 << 20;

    /** Default {@link #probation()}: 2 s. */
    public static final Duration DEFAULT_PROBATION = Duration.ofSeconds(2);

    public ProxyConfig {
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(appHost, "appHost");
        allowUids = Set.copyOf(allowUids);
        PortPlan.linksOf(pid, parties, basePort, sequreBasePort); // validates
        if (rawChunkBytes < 1) {
            throw new IllegalArgumentException("raw chunk size must be >= 1 byte, got " + rawChunkBytes);
        }
        for (Duration d : List.of(backoffMin, backoffMax, poll, shutdownGrace, probation)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative: " + d);
            }
        }
        if (backoffMin.isZero() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("need 0 < backoffMin <= backoffMax");
        }
    }

    /** This proxy's links, one per peer. */
    public List<Link> links() {
        return PortPlan.linksOf(pid, parties, basePort, sequreBasePort);
    }

    /** A builder with sbproxy's defaults: length-prefixed framing, loopback, 50 ms..1 s backoff. */
    public static Builder builder(int pid, int parties, int basePort, int sequreBasePort) {
        return new Builder(pid, parties, basePort, sequreBasePort);
    }

    /** Builds a {@link ProxyConfig}. */
    public static final class Builder {
        private final int pid;
        private final int parties;
        private final int basePort;
        private final int sequreBasePort;
        private Framing framing = Framing.LENGTH_PREFIXED;
        private int rawChunkBytes = DEFAULT_RAW_CHUNK_BYTES;
        private InetAddress appHost = InetAddress.getLoopbackAddress();
        private Duration backoffMin = Duration.ofMillis(50);
        private Duration backoffMax = Duration.ofSeconds(1);
        private Duration poll = Duration.ofMillis(100);
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private Path stateDir;
        private Set<Integer> allowUids = Set.of();
        private Duration probation = DEFAULT_PROBATION;

        private Builder(int pid, int parties, int basePort, int sequreBasePort) {
            this.pid = pid;
            this.parties = parties;
            this.basePort = basePort;
            this.sequreBasePort = sequreBasePort;
        }

        public Builder framing(Framing framing) {
            this.framing = framing;
            return this;
        }

        public Builder rawChunkBytes(int rawChunkBytes) {
            this.rawChunkBytes = rawChunkBytes;
            return this;
        }

        public Builder appHost(InetAddress appHost) {
            this.appHost = appHost;
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        public Builder poll(Duration poll) {
            this.poll = poll;
            return this;
        }

        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /** Where the marks of written, unacknowledged messages live; see {@link ProxyConfig#stateDir()}. */
        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** Users besides the proxy's own whose sockets may carry a link; see {@link ProxyConfig#allowUids()}. */
        public Builder allowUids(Set<Integer> allowUids) {
            this.allowUids = allowUids;
            return this;
        }

        /** See {@link ProxyConfig#probation()}. */
        public Builder probation(Duration probation) {
            this.probation = probation;
            return this;
        }

        public ProxyConfig build() {
            return new ProxyConfig(
                    pid,
                    parties,
                    basePort,
                    sequreBasePort,
                    framing,
                    rawChunkBytes,
                    appHost,
                    backoffMin,
                    backoffMax,
                    poll,
                    shutdownGrace,
                    stateDir,
                    allowUids,
                    probation);
        }
    }
}
