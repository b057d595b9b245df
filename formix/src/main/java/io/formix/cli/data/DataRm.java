package io.formix.cli.data;

import io.formix.cli.CliException;
import io.formix.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code formix data rm}: forgets a source (its data files are left alone). */
@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = "remove a data source of a light node " + "(the data itself is not touched)")
final class DataRm implements Callable<Integer> {

    @ParentCommand
    DataCommand parent;

    @Parameters(paramLabel = "LIGHT-UID")
    String uid;

    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        DataList.checkName(name);
        boolean removed = parent.withStore(uid, store -> store.remove(name));
        if (!removed) {
            throw new CliException(
                    ExitCodes.NOT_FOUND, "no dataset " + name + " on " + uid + " — see formix data list " + uid);
        }
        parent.main.print(false, () -> null, out -> out.println("removed dataset " + name + " from " + uid));
        return ExitCodes.OK;
    }
}
