package io.formix.cli.network;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import io.formix.cli.node.StartCommand;
import io.formix.service.NodeService;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "create the nodes missing to reach H heavy and L light, start them all")
final class UpCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Option(names = "--heavy", paramLabel = "H", defaultValue = "3", description = "heavy nodes wanted (default 3)")
    int heavy;

    @Option(names = "--light", paramLabel = "L", required = true, description = "light nodes wanted")
    int light;

    @Option(
            names = "--approval",
            paramLabel = "auto|manual",
            defaultValue = "auto",
            description = "approval of new light nodes (auto|manual)")
    String approval;

    @Option(
            names = "--fast-kernels",
            negatable = true,
            description = "run this home's node hosts with C2 and the SIMD kernels (for vector answers; kept for"
                    + " later 'network up' and 'node start'; --no-fast-kernels returns to the quick-start default)")
    Boolean fastKernels;

    @Override
    public Integer call() throws IOException {
        Main main = parent.main;
        PrintWriter out = main.out();
        NodeService.Started s = main.network().up(heavy, light, approval, fastKernels, line -> {
            out.println(line);
            out.flush();
        });
        StartCommand.printStarted(out, s);
        if (s.uids().isEmpty()) {
            out.println("all nodes already running");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
