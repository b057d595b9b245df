package io.formix.transport;

import io.formix.transport.spi.PairwisePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test helper (shipped in the test-jar) for tests that must bind known ports: pairwise layouts,
 * a peer that comes up late, a restart on the same port. Ports are drawn below the kernel's
 * ephemeral range: a port in that range can be taken as the local port of any outgoing connection
 * the moment it is released, and a restarting listener would then fail to bind it.
 *
 * <p>Ports handed out once are never handed out again by this JVM: a test that draws several
 * bases (one per party) must not get overlapping runs, which a free-now check alone cannot
 * exclude while the first run is still unbound.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {}

    /** A port that was free a moment ago. */
    public static int one() {
        return base(1) + 1;
    }

    /** A base whose ports {@code base+1 .. base+span} were all free a moment ago. */
    public static synchronized int base(int span) {
        int highest = ephemeralStart() - span - 1;
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, highest);
            if (notHandedOut(first, span) && allFree(first, span)) {
                for (int p = first; p < first + span; p++) {
                    HANDED_OUT.add(p);
                }
                return first - 1;
            }
        }
        throw new IllegalStateException("no run of " + span + " free ports found below " + highest);
    }

    /** A base whose pairwise ports for {@code n} parties ({@link PairwisePorts}) were all free a moment ago. */
    public static int pairwiseBase(int n) {
        return base(PairwisePorts.maxOffset(n));
    }

    /** A loopback listener on {@code port}, with {@code SO_REUSEADDR} (a test's stand-in application). */
    public static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            return Math.max(LOWEST + 1_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux default
        }
    }

    private static boolean notHandedOut(int first, int count) {
        for (int p = first; p < first + count; p++) {
            if (HANDED_OUT.contains(p)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFree(int first, int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int p = first; p < first + count; p++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(p));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // released
                }
            }
        }
    }
}
