package io.formix.proxy.demo;

import io.formix.transport.FrameCodec;
import io.formix.transport.spi.PairwisePorts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One party of an additive-share sum over TCP, wired like Sequre: for each pair the lower pid
 * listens and the higher connects, on {@code base + offset(a, b, n)}, and every message is a frame
 * {@code [8-byte LE length][payload]}. Each round, every party splits its input into n shares mod
 * 2^32 (from {@link SecureRandom}), sends share j to party j, adds the shares it holds into a
 * partial sum, sends that to every party and adds all partial sums: the total of the inputs, while
 * no party sees another's input. Prints the total; the exit status is 0 if every round agreed.
 */
@Command(
        name = "sum-party",
        mixinStandardHelpOptions = true,
        description = "One party of a 3-party (or n-party) additive-share sum over TCP, Sequre-style ports.")
public final class SumParty implements Callable<Integer> {

    @Option(names = "--pid", required = true, description = "This party's number.")
    int pid;

    @Option(names = "--parties", defaultValue = "3", description = "Number of parties (default ${DEFAULT-VALUE}).")
    int parties;

    @Option(names = "--base-port", required = true, description = "Port base, like SEQURE_PORT_BASE.")
    int basePort;

    @Option(names = "--input", required = true, description = "This party's private input (an int).")
    int input;

    @Option(names = "--rounds", defaultValue = "10", description = "Rounds to run (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--round-delay-ms", defaultValue = "0", description = "Pause between rounds.")
    long roundDelayMs;

    @Option(
            names = "--connect-timeout-s",
            defaultValue = "60",
            description = "How long to keep trying to reach a peer's port (default ${DEFAULT-VALUE}).")
    long connectTimeoutS;

    private final SecureRandom random = new SecureRandom();

    /** The total after the last round (for tests). */
    volatile int result;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SumParty()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Socket[] peers = connectAll();
        InputStream[] in = new InputStream[parties];
        OutputStream[] out = new OutputStream[parties];
        for (int j = 0; j < parties; j++) {
            if (j != pid) {
                in[j] = peers[j].getInputStream();
                out[j] = new BufferedOutputStream(peers[j].getOutputStream());
            }
        }
        int total = 0;
        for (int round = 0; round < rounds; round++) {
            int[] shares = share(input);
            for (int j = 0; j < parties; j++) {
                if (j != pid) {
                    send(out[j], shares[j]);
                }
            }
            int partial = shares[pid];
            for (int j = 0; j < parties; j++) {
                if (j != pid) {
                    partial += receive(in[j]);
                }
            }
            for (int j = 0; j < parties; j++) {
                if (j != pid) {
                    send(out[j], partial);
                }
            }
            int sum = partial;
            for (int j = 0; j < parties; j++) {
                if (j != pid) {
                    sum += receive(in[j]);
                }
            }
            if (round > 0 && sum != total) {
                System.out.println("party " + pid + ": round " + round + " disagrees: " + Integer.toUnsignedString(sum)
                        + " after " + Integer.toUnsignedString(total));
                return 1;
            }
            total = sum;
            if (roundDelayMs > 0) {
                new CountDownLatch(1).await(roundDelayMs, TimeUnit.MILLISECONDS);
            }
        }
        result = total;
        System.out.println(
                "party " + pid + ": sum = " + Integer.toUnsignedString(total) + " after " + rounds + " rounds");
        for (Socket s : peers) {
            if (s != null) {
                s.close();
            }
        }
        return 0;
    }

    private int[] share(int secret) {
        int[] s = new int[parties];
        int acc = 0;
        for (int j = 0; j < parties - 1; j++) {
            s[j] = random.nextInt();
            acc += s[j];
        }
        s[parties - 1] = secret - acc;
        return s;
    }

    private static void send(OutputStream out, int value) throws IOException {
        byte[] p = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        FrameCodec.write(out, p);
        out.flush();
    }

    private static int receive(InputStream in) throws IOException {
        byte[] p = FrameCodec.read(in, 4);
        if (p == null || p.length != 4) {
            throw new IOException(
                    "expected a 4-byte frame, got " + (p == null ? "end of stream" : p.length + " bytes"));
        }
        return (p[0] & 0xff) | (p[1] & 0xff) << 8 | (p[2] & 0xff) << 16 | (p[3] & 0xff) << 24;
    }

    /** Lower pid listens, higher connects, each pair on its own port. */
    private Socket[] connectAll() throws IOException, InterruptedException {
        Socket[] peers = new Socket[parties];
        InetAddress host = InetAddress.getLoopbackAddress();
        ServerSocket[] servers = new ServerSocket[parties];
        for (int j = pid + 1; j < parties; j++) {
            servers[j] = new ServerSocket();
            servers[j].setReuseAddress(true);
            servers[j].bind(new InetSocketAddress(host, basePort + PairwisePorts.offset(pid, j, parties)));
        }
        for (int j = 0; j < pid; j++) {
            peers[j] = connectWithRetry(new InetSocketAddress(host, basePort + PairwisePorts.offset(j, pid, parties)));
        }
        for (int j = pid + 1; j < parties; j++) {
            peers[j] = servers[j].accept();
            servers[j].close();
        }
        for (Socket s : peers) {
            if (s != null) {
                s.setTcpNoDelay(true);
            }
        }
        return peers;
    }

    private Socket connectWithRetry(InetSocketAddress address) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(connectTimeoutS);
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(address, 2000);
                return s;
            } catch (IOException e) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw new IOException("party " + pid + ": cannot reach " + address + " (" + e.getMessage() + ")");
                }
                new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
            }
        }
    }
}
