package io.formix.transport.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Finds free loopback ports for tests, so parallel runs do not collide on fixed ports. */
final class FreePorts {

    private FreePorts() {
    }

    /** A port that was free a moment ago. */
    static int one() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A base port whose pairwise ports {@code base+1 .. base+n(n-1)/2} were all free a moment ago. */
    static int pairwiseBase(int n) {
        int count = n * (n - 1) / 2;
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = one();
            if (first + count > 65_535) {
                continue;
            }
            if (allFree(first, count)) {
                return first - 1;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports found");
    }

    private static boolean allFree(int first, int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int p = first; p < first + count; p++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
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
