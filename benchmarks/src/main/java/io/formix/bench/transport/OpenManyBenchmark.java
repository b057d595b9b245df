package io.formix.bench.transport;

import io.formix.transport.PartyId;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a host takes to open the file transports of many parties on one crowded root, as at a
 * restart: 3 heavy and N light parties on a root that already holds the 6·N channel folders of an
 * earlier run. Printed beside its floor measured in the same run: N+3 plain listings of the root
 * (what opening cost when every transport listed the root itself) and one listing (the least any
 * opening can do).
 *
 * <p>Usage: {@code OpenManyBenchmark [--lights N] [--dir DIR]} (default 1,000 lights under sandbox/).
 */
public final class OpenManyBenchmark {

    private OpenManyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int lights = 1_000;
        Path base = Path.of("sandbox");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lights" -> lights = Integer.parseInt(args[++i]);
                case "--dir" -> base = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = Files.createTempDirectory(Files.createDirectories(base), "open-many-");
        List<PartyId> parties = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            parties.add(PartyId.of("heavy-" + h));
        }
        for (int l = 1; l <= lights; l++) {
            PartyId light = PartyId.of(String.format("light-%04d", l));
            parties.add(light);
            for (int h = 0; h < 3; h++) {
                Files.createDirectories(root.resolve(light + "_to_" + parties.get(h)));
                Files.createDirectories(root.resolve(parties.get(h) + "_to_" + light));
            }
        }
        long oneListing = listing(root);
        long floorStart = System.nanoTime();
        for (int i = 0; i < parties.size(); i++) {
            listing(root);
        }
        long perPartyListings = System.nanoTime() - floorStart;

        long filesBefore = openFiles();
        long start = System.nanoTime();
        List<FileTransport> open = new ArrayList<>();
        try {
            for (PartyId p : parties) {
                open.add(FileTransport.builder(root, p)
                        .stateDir(root.resolve(".formix-local").resolve(p.toString()))
                        .rescanInterval(Duration.ofSeconds(1))
                        .open());
            }
            long opened = System.nanoTime() - start;
            System.out.printf(
                    "open %d file transports on a root of %d channel folders: %.2f s (%.2f ms each)%n",
                    parties.size(), 6 * lights, opened / 1e9, opened / 1e6 / parties.size());
            long files = openFiles() - filesBefore;
            System.out.printf("  open files held: %d (%.2f per party)%n", files, (double) files / parties.size());
            System.out.printf(
                    "  floor: %d root listings %.2f s; one root listing %.1f ms%n",
                    parties.size(), perPartyListings / 1e9, oneListing / 1e6);
        } finally {
            for (FileTransport t : open) {
                t.close();
            }
        }
    }

    /** Descriptors this process holds now (Linux), or -1 where /proc is not available. */
    private static long openFiles() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (var s = Files.list(fds)) {
            return s.count();
        }
    }

    private static long listing(Path root) throws IOException {
        long start = System.nanoTime();
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                n += p.getFileName().toString().length() > 0 ? 1 : 0;
            }
        }
        if (n == 0) {
            throw new IllegalStateException("empty root");
        }
        return System.nanoTime() - start;
    }
}
