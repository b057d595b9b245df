package io.formix.proxy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.formix.proxy.Proxy;
import io.formix.proxy.ProxyConfig;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The demo engine computes the right sum, directly over TCP and behind three proxies. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SumPartyTest {
    private static final int[] INPUTS = {17, 2_147_483_647, 2_147_483_647};
    private static final int EXPECTED = 15; // 17 + 2 * (2^31 - 1) wraps mod 2^32

    @Test
    void threePartiesAddTheirInputsDirectlyOverTcp() throws Exception {
        int base = freeBase();
        assertEquals(List.of(EXPECTED, EXPECTED, EXPECTED), runParties(new int[] {base, base, base}));
    }

    @Test
    void threePartiesAddTheirInputsBehindProxies() throws Exception {
        InMemoryNetwork net = new InMemoryNetwork();
        int[] bases = {freeBase(), freeBase(), freeBase()};
        List<Proxy> proxies = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                proxies.add(Proxy.start(
                        ProxyConfig.builder(i, 3, bases[i], bases[i])
                                .backoff(Duration.ofMillis(10), Duration.ofMillis(200))
                                .build(),
                        net.open(PartyId.ofPid(i))));
            }
            assertEquals(List.of(EXPECTED, EXPECTED, EXPECTED), runParties(bases));
        } finally {
            for (Proxy p : proxies) {
                p.close();
            }
        }
    }

    private static List<Integer> runParties(int[] bases) throws Exception {
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int pid = i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                SumParty party = new SumParty();
                int code = new CommandLine(party)
                        .execute(
                                "--pid",
                                "" + pid,
                                "--base-port",
                                "" + bases[pid],
                                "--input",
                                "" + INPUTS[pid],
                                "--rounds",
                                "5");
                if (code != 0) {
                    throw new IllegalStateException("party " + pid + " exited with " + code);
                }
                return party.result;
            }));
        }
        List<Integer> results = new ArrayList<>();
        for (CompletableFuture<Integer> r : runs) {
            results.add(r.get(50, TimeUnit.SECONDS));
        }
        return results;
    }

    private static int freeBase() throws Exception {
        while (true) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(40_000);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int p = base + 1; p <= base + 3; p++) {
                    ServerSocket s = new ServerSocket();
                    held.add(s);
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                }
                return base;
            } catch (java.io.IOException e) {
                // try another range
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
    }
}
