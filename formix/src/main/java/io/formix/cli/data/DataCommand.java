package io.formix.cli.data;

import io.formix.cli.Main;
import io.formix.data.DataSourceStore;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code formix data ...}: the data sources of a light node; only their descriptors may ever leave it. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "data sources a light node owns: CSV, read-only SQLite, a command, or manual answers",
        subcommands = {DataAdd.class, DataList.class, DataRm.class, DataQuery.class, DataReview.class})
public final class DataCommand {

    @ParentCommand
    Main main;

    /**
     * Runs {@code work} on the data sources of the local light node {@code uid}; a source or query
     * that is not acceptable ends the command with exit 4 and its one-line reason.
     */
    <T> T withStore(String uid, Function<DataSourceStore, T> work) {
        return main.data().withSources(uid, work);
    }
}
