package io.formix.cli.data;

import io.formix.cli.CliException;
import io.formix.cli.ExitCodes;
import io.formix.data.DataException;
import io.formix.data.DataSourceStore;
import io.formix.data.SourceSpec;
import io.formix.service.TerminalText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code formix data list}: the sources of a light node, as only its owner sees them. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "list the data sources of a light node")
final class DataList implements Callable<Integer> {

    @ParentCommand
    DataCommand parent;

    @Parameters(paramLabel = "LIGHT-UID")
    String uid;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        List<DataSourceStore.Entry> all = parent.withStore(uid, DataSourceStore::list);
        parent.main.print(
                json, () -> all.stream().map(e -> json(e.spec(), e.addedAt())).toList(), out -> {
                    if (all.isEmpty()) {
                        out.println("no data sources on " + uid + " — add one: formix data add " + uid
                                + " --name NAME --csv FILE");
                        return;
                    }
                    for (DataSourceStore.Entry e : all) {
                        SourceSpec s = e.spec();
                        out.println(TerminalText.safe(s.name()) + "  "
                                + s.kind().label() + "  " + TerminalText.safe(where(s)));
                        if (!s.columns().isEmpty()) {
                            out.println("  columns: " + TerminalText.safe(DataAdd.columns(s.columns())));
                        }
                    }
                });
        return ExitCodes.OK;
    }

    static String where(SourceSpec s) {
        return switch (s.kind()) {
            case CSV -> s.path();
            case SQLITE -> s.path() + ": " + s.sql();
            case COMMAND ->
                String.join(" ", s.argv()) + " (in " + s.workdir() + ", timeout "
                        + s.timeout().toMillis() + " ms)";
            case MANUAL -> "answered by hand";
        };
    }

    /** The owner's view of a source: its descriptor, and where its data is. */
    static Map<String, Object> json(SourceSpec s, long addedAt) {
        Map<String, Object> m = new LinkedHashMap<>(s.descriptor().toJson());
        m.put("kind", s.kind().label());
        m.put("path", s.path());
        m.put("sql", s.sql());
        m.put("command", s.argv().isEmpty() ? null : s.argv());
        m.put("workdir", s.workdir());
        m.put("timeoutMillis", s.timeout() == null ? null : s.timeout().toMillis());
        m.put("maxBytes", s.maxBytes() == 0 ? null : s.maxBytes());
        m.put("addedAt", Instant.ofEpochMilli(addedAt).toString());
        return m;
    }

    /** A usage error (exit 2) unless {@code name} is a dataset name. */
    static void checkName(String name) {
        try {
            SourceSpec.checkName(name);
        } catch (DataException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
