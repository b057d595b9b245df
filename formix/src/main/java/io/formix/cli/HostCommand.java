package io.formix.cli;

import io.formix.node.NodeHost;
import io.formix.node.ProcessLiveness;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.ChannelLockedException;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The hidden {@code formix host} command: runs the listed nodes in this process until SIGTERM (or
 * until every node was stopped through {@code node stop}). {@code node start} and
 * {@code network up} launch it in the background; {@code node start --foreground} runs the same code
 * in the terminal.
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
        NetworkDb net = main.openNetwork();
        List<NodeRecord> records = new ArrayList<>();
        for (String u : all) {
            PartyId uid = PartyId.of(u);
            records.add(net.node(uid).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no node " + uid)));
        }
        return run(main, net, records, main.commandLine().getOut(), false);
    }

    /** Hosts {@code records} until SIGTERM/Ctrl-C or until all of them were stopped. */
    static int run(Main main, NetworkDb net, List<NodeRecord> records, PrintWriter out, boolean foreground) {
        NodeHost host;
        try {
            host = NodeHost.start(main.formixHome(), net, Transports.factory(main, net, records), Clock.systemUTC(), records,
                    NodeHost.Settings.DEFAULT);
        } catch (ChannelLockedException e) {
            throw new CliException(ExitCodes.REFUSED, "a node is already running in another process (" + e.getMessage()
                    + ") — see formix node list");
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot start nodes: " + e.getMessage());
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            host.close();
            net.close();
            done.countDown();
        }, "formix-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println((foreground ? "running " : "host pid " + ProcessLiveness.selfPid() + " running ")
                + records.size() + " node(s)" + (foreground ? " in the foreground — Ctrl-C to stop" : ""));
        out.flush();
        while (!host.isEmpty()) {
            NodeControl.sleep(200);
        }
        host.close();
        out.println("all nodes stopped");
        out.flush();
        return ExitCodes.OK;
    }
}
