package io.formix.node;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;

/** The host services of a test: a real home and {@code network.db}, a clock fixed at {@code millis}. */
final class TestHostServices {

    private TestHostServices() {}

    static HostServices fixedAt(FormixHome home, NetworkDb net, long millis, ExecutorService senders) {
        return new HostServices(
                home,
                net,
                new Registry(net),
                Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC),
                new SecureRandom(),
                senders);
    }
}
