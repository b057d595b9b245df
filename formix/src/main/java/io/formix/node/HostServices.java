package io.formix.node;

import io.formix.mpc.AdditiveSharing;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.security.SecureRandom;
import java.time.Clock;

/** What every node of a host shares: files, registry, clock and randomness. */
record HostServices(FormixHome home, NetworkDb net, Registry registry, Clock clock, SecureRandom random,
                    AdditiveSharing sharing) {

    long now() {
        return clock.millis();
    }
}
