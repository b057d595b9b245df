package io.formix.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The hidden {@code formix host} command: runs the listed nodes in this process until SIGTERM (or
 * until every node was stopped through {@code node stop}). {@code node start} and
 * {@code network up} launch it in the background ({@link io.formix.service.HostService}).
 */
@Command(name = "host", hidden = true, description = "run nodes in this process (used by node start)")
final class HostCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--uids", split = ",", description = "nodes to run")
    List<String> uids = new ArrayList<>();

    @Option(names = "--uids-file", description = "file with one node uid per line")
    Path uidsFile;

    @Override
    public Integer call() throws IOException {
        List<String> all = new ArrayList<>(uids);
        if (uidsFile != null) {
            for (String l : Files.readAllLines(uidsFile)) {
                if (!l.isBlank()) {
                    all.add(l.strip());
                }
            }
        }
        main.hosts().host(all, main.out());
        return ExitCodes.OK;
    }
}
