package io.formix.node;

import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * What every node of a host shares: files, registry, clock, randomness, the sharing schemes (made
 * once per id; a scheme is thread-safe), and a small pool for fan-out sends (a broadcast must not
 * wait for one unreachable peer after another).
 */
record HostServices(
        FormixHome home,
        NetworkDb net,
        Registry registry,
        Clock clock,
        SecureRandom random,
        Map<String, SharingScheme> schemes,
        ExecutorService senders) {

    HostServices(
            FormixHome home,
            NetworkDb net,
            Registry registry,
            Clock clock,
            SecureRandom random,
            ExecutorService senders) {
        this(home, net, registry, clock, random, new ConcurrentHashMap<>(), senders);
    }

    long now() {
        return clock.millis();
    }

    /** The scheme {@code id} names (see {@link SharingSchemes#forId}). */
    SharingScheme scheme(String id) {
        return schemes.computeIfAbsent(id, SharingSchemes::forId);
    }
}
