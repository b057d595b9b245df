package io.formix.cli.node;

import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Exactly one of: some uids, or --all. */
final class Targets {
    @Parameters(paramLabel = "UID", arity = "1..*", description = "node uids")
    List<String> uids;

    @Option(names = "--all", required = true, description = "every node")
    boolean all;

    /** The uids named, or null for every node of this home. */
    List<String> uids() {
        return all ? null : uids;
    }
}
