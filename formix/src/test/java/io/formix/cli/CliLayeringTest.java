package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The layering of {@code docs/design.md} as far as the command line goes: {@code cli} reaches the
 * runtime only through {@code io.formix.service} (never {@code state}, nor node, registry or
 * protocol), and no source of {@code formix} spells a channel folder name itself.
 */
@Timeout(30)
class CliLayeringTest {

    private static final Path MAIN = Path.of("src/main/java/io/formix");

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void theCliUsesOnlyTheServicesOfTheRuntime() throws IOException {
        List<Path> files = sources(MAIN.resolve("cli"));
        assertTrue(files.size() > 20, "cli sources found: " + files.size());
        List<String> bad = new ArrayList<>();
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                for (String pkg :
                        List.of("io.formix.state", "io.formix.node", "io.formix.registry", "io.formix.protocol")) {
                    if (line.contains(pkg + ".")) {
                        bad.add(MAIN.relativize(f) + ": " + line.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void onlyTheFileTransportNamesChannelFolders() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : sources(MAIN)) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("\"_to_\"")) {
                    bad.add(MAIN.relativize(f) + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), bad);
    }
}
