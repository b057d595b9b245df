package io.formix.transport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds free ports for tests that must bind a known port (pairwise layouts, a peer that comes up
 * late, a restart on the same port). They are drawn below the kernel's ephemeral range: a port in
 * that range can be taken as the local port of any outgoing connection on the machine the moment
 * it is released, and a restarting listener would then fail to bind it.
 */
final class FreePorts {

    private static final int LOWEST = 10_000;

    private FreePorts() {
    }

    /** A port that was free a moment ago. */
    static int one() {
        return pairwiseBase(2) + 1;
    }

    /** A base port whose pairwise ports {@code base+1 .. base+n(n-1)/2} were all free a moment ago. */
    static int pairwiseBase(int n) {
        int count = n * (n - 1) / 2;
        int highest = ephemeralStart() - count - 1;
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, highest);
            if (allFree(first, count)) {
                return first - 1;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports found below " + highest);
    }

    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(LOWEST + 1_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux default
        }
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
