package io.formix.cli.data;

import io.formix.cli.CliException;
import io.formix.cli.ExitCodes;
import io.formix.data.Budget;
import io.formix.data.Column;
import io.formix.data.ColumnType;
import io.formix.data.CommandSource;
import io.formix.data.CsvSource;
import io.formix.data.DataException;
import io.formix.data.ManualSource;
import io.formix.data.Sizes;
import io.formix.data.SourceSpec;
import io.formix.data.SqliteSource;
import io.formix.service.TerminalText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code formix data add}: registers a source, reading it once to find its columns and their types. */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = "register a data source of a light node (read now to find its columns and types)")
final class DataAdd implements Callable<Integer> {

    /** How long reading a source at {@code data add} may take. */
    static final Budget INSPECT = Budget.of(Long.MAX_VALUE, Duration.ofMinutes(10));

    @ParentCommand
    DataCommand parent;

    @Parameters(paramLabel = "LIGHT-UID", description = "the light node that owns the data")
    String uid;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "the dataset name queries use")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    static final class Kind {
        @Option(names = "--csv", paramLabel = "FILE", description = "a CSV file with a header row (UTF-8)")
        Path csv;

        @Option(names = "--sqlite", paramLabel = "FILE", description = "a SQLite database, opened read-only")
        Path sqlite;

        @Option(
                names = "--command",
                paramLabel = "\"PROGRAM ARGS…\"",
                description = "a program run without a shell; it reads the query on stdin and prints the answer")
        String command;

        @Option(names = "--manual", description = "the owner answers by hand")
        boolean manual;
    }

    @Option(names = "--sql", paramLabel = "\"SELECT …\"", description = "with --sqlite: the rows to read (one SELECT)")
    String sql;

    @Option(
            names = "--type",
            paramLabel = "COLUMN=TYPE",
            description = "declare a column's type (integer, decimal, " + "text) instead of inferring it; repeatable")
    List<String> types = List.of();

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "with --command: how long it may run (default 30s)")
    Duration timeout;

    @Option(
            names = "--max-size",
            paramLabel = "SIZE",
            description = "the largest CSV file (default 1g) or command " + "output (default 16m), e.g. 64m")
    String maxSize;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        DataList.checkName(name);
        if (sql != null && kind.sqlite == null) {
            throw new CliException(ExitCodes.USAGE, "--sql goes with --sqlite");
        }
        if (!types.isEmpty() && kind.csv == null && kind.sqlite == null) {
            throw new CliException(ExitCodes.USAGE, "--type goes with --csv or --sqlite");
        }
        Map<String, ColumnType> declared = new LinkedHashMap<>();
        for (String t : types) {
            int eq = t.lastIndexOf('=');
            if (eq <= 0) {
                throw new CliException(ExitCodes.USAGE, "--type takes COLUMN=TYPE, e.g. age=integer");
            }
            try {
                declared.put(t.substring(0, eq), ColumnType.parse(t.substring(eq + 1)));
            } catch (DataException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage());
            }
        }
        long size;
        try {
            size = maxSize == null
                    ? (kind.command != null ? SourceSpec.DEFAULT_OUTPUT_MAX_BYTES : SourceSpec.DEFAULT_CSV_MAX_BYTES)
                    : Sizes.parse(maxSize);
        } catch (DataException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        SourceSpec spec = parent.withStore(uid, store -> {
            if (store.get(name).isPresent()) {
                throw new CliException(
                        ExitCodes.REFUSED,
                        "dataset " + name + " exists already on " + uid + " — remove it first: formix data rm " + uid
                                + " --name " + name);
            }
            SourceSpec s;
            if (kind.csv != null) {
                s = CsvSource.inspect(name, kind.csv, size, declared, INSPECT);
            } else if (kind.sqlite != null) {
                s = SqliteSource.inspect(name, kind.sqlite, sql, declared, INSPECT);
            } else if (kind.command != null) {
                s = CommandSource.define(
                        name, CommandSource.split(kind.command), Path.of("").toAbsolutePath(), timeout, size);
            } else {
                s = ManualSource.define(name);
            }
            if (!store.add(s, System.currentTimeMillis())) {
                throw new CliException(ExitCodes.REFUSED, "dataset " + name + " exists already on " + uid);
            }
            return s;
        });
        parent.main.print(json, () -> DataList.json(spec, System.currentTimeMillis()), out -> {
            out.println("added dataset " + spec.name() + " to " + uid + " ("
                    + spec.kind().label()
                    + (spec.columns().isEmpty()
                            ? ""
                            : ": " + spec.columns().size() + " column"
                                    + (spec.columns().size() == 1 ? "" : "s"))
                    + ")");
            for (Column c : spec.columns()) {
                out.println("  " + TerminalText.safe(c.name()) + "  " + c.type().label());
            }
        });
        return ExitCodes.OK;
    }

    static String columns(List<Column> cols) {
        return cols.stream().map(c -> c.name() + ":" + c.type().label()).collect(Collectors.joining(","));
    }
}
