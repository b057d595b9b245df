package io.formix.node;

import io.formix.mpc.AdditiveSharing;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * What every node of a host shares: files, registry, clock, randomness, and a small pool for
 * fan-out sends (a broadcast must not wait for one unreachable peer after another).
 */
record HostServices(FormixHome home, NetworkDb net, Registry registry, Clock clock, SecureRandom random,
                    AdditiveSharing sharing, ExecutorService senders) {

    long now() {
        return clock.millis();
    }
}
