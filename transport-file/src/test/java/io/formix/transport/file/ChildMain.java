package io.formix.transport.file;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The programs the crash tests run as real child processes (killed with SIGKILL):
 * <ul>
 *   <li>{@code receive <root> <self> <from> <total> <log>}: an exactly-once consumer. It appends
 *       {@code "<sequence> <payload number>\n"} to {@code log} per message and, on start, skips
 *       sequences the log already holds (the one redelivery the transport allows after a crash).
 *       Redeliveries are appended to {@code <log>.dup}. Exits 0 after {@code total} lines.</li>
 *   <li>{@code send <root> <self> <to> <run> <count> <size>}: sends {@code count} messages of
 *       {@code size} bytes holding {@code (run, i)} and a fill pattern, then idles.</li>
 *   <li>{@code hold <root> <self>}: opens, prints {@code OPEN}, waits for stdin to close.</li>
 *   <li>{@code receive-one <root> <self> <from>}: receives one message, prints
 *       {@code GOT <sequence> <payload number>}, waits for stdin to close, then closes (which
 *       acknowledges it).</li>
 * </ul>
 */
public final class ChildMain {

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        PartyId self = PartyId.of(args[2]);
        switch (args[0]) {
            case "receive" -> receive(root, self, PartyId.of(args[3]), Integer.parseInt(args[4]), Path.of(args[5]));
            case "send" ->
                send(
                        root,
                        self,
                        PartyId.of(args[3]),
                        Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]),
                        Integer.parseInt(args[6]));
            case "hold" -> hold(root, self);
            case "receive-one" -> receiveOne(root, self, PartyId.of(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Environment variable: when set, the SyftBox layout over this datasites folder (parties a and b). */
    static final String SYFTBOX_ENV = "FORMIX_TEST_SYFTBOX_DATASITES";

    /** The transport of {@code self} on {@code root}, in the SyftBox layout if {@link #SYFTBOX_ENV} says so. */
    static FileTransport open(Path root, PartyId self) throws IOException {
        FileTransport.Builder b = FileTransport.builder(root, self);
        String datasites = System.getenv(SYFTBOX_ENV);
        if (datasites != null) {
            b.layout(ChannelLayout.syftbox(
                    Path.of(datasites),
                    self.value() + "@crash.test",
                    java.util.Map.of(PartyId.of("a"), "a@crash.test", PartyId.of("b"), "b@crash.test")));
        }
        return b.open();
    }

    private static void receive(Path root, PartyId self, PartyId from, int total, Path log) throws Exception {
        long lastSeq = -1;
        int lines = 0;
        if (Files.exists(log)) {
            // Keep only complete lines (a kill may cut a line short).
            byte[] all = Files.readAllBytes(log);
            int end = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    end = i + 1;
                }
            }
            List<String> complete =
                    new String(all, 0, end, StandardCharsets.US_ASCII).lines().toList();
            lines = complete.size();
            if (!complete.isEmpty()) {
                lastSeq = Long.parseLong(complete.get(complete.size() - 1).split(" ")[0]);
            }
            if (end != all.length) {
                try (var ch = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(end);
                }
            }
        }
        try (FileTransport t = open(root, self);
                FileOutputStream out = new FileOutputStream(log.toFile(), true);
                FileOutputStream dup = new FileOutputStream(log + ".dup", true)) {
            while (lines < total) {
                Optional<Message> m = t.receive(from, Duration.ofSeconds(30));
                if (m.isEmpty()) {
                    continue;
                }
                long seq = m.get().sequence();
                if (seq <= lastSeq) {
                    dup.write((seq + "\n").getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                int number = ByteBuffer.wrap(m.get().payload()).getInt();
                out.write((seq + " " + number + "\n").getBytes(StandardCharsets.US_ASCII)); // one write call
                lastSeq = seq;
                lines++;
            }
        }
    }

    /** Payload: run (4 bytes), i (4 bytes), then bytes (run * 31 + i + k) for the rest. */
    static byte[] payload(int run, int i, int size) {
        byte[] p = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(p).putInt(run).putInt(i);
        for (int k = 8; k < size; k++) {
            p[k] = (byte) (run * 31 + i + k);
        }
        return b.array();
    }

    static boolean intact(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        int run = b.getInt();
        int i = b.getInt();
        for (int k = 8; k < p.length; k++) {
            if (p[k] != (byte) (run * 31 + i + k)) {
                return false;
            }
        }
        return true;
    }

    private static void send(Path root, PartyId self, PartyId to, int run, int count, int size) throws Exception {
        FileTransport t = open(root, self);
        for (int i = 0; i < count; i++) {
            t.send(to, payload(run, i, size));
        }
        System.out.println("SENT");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        t.close();
    }

    private static void receiveOne(Path root, PartyId self, PartyId from) throws Exception {
        try (FileTransport t = open(root, self)) {
            Message m = t.receive(from, Duration.ofSeconds(30)).orElseThrow();
            System.out.println(
                    "GOT " + m.sequence() + " " + ByteBuffer.wrap(m.payload()).getInt());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static void hold(Path root, PartyId self) throws IOException {
        try (FileTransport t = open(root, self)) {
            System.out.println("OPEN");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        }
    }
}
