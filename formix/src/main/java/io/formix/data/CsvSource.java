package io.formix.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A CSV file with a header row, read on every query (never copied into Formix). */
public final class CsvSource implements TabularSource {

    /** The longest record (a row, quoted newlines included), in characters. */
    static final int MAX_RECORD_CHARS = 1 << 20;

    private final SourceSpec spec;

    CsvSource(SourceSpec spec) {
        this.spec = spec;
    }

    /** Reads {@code file} once to find its columns and their types ({@code declared} ones are checked). */
    public static SourceSpec inspect(
            String name, Path file, long maxBytes, Map<String, ColumnType> declared, Budget budget) {
        Path abs = file.toAbsolutePath().normalize();
        try (CsvReader r = new CsvReader(abs, maxBytes, MAX_RECORD_CHARS, budget.start())) {
            List<Column> cols = Inference.infer(r.header(), r, declared);
            return new SourceSpec(name, SourceKind.CSV, abs.toString(), null, List.of(), null, null, maxBytes, cols);
        }
    }

    @Override
    public SourceSpec spec() {
        return spec;
    }

    @Override
    public Descriptor descriptor() {
        return spec.descriptor();
    }

    @Override
    public RowReader open(Budget.Deadline deadline) {
        CsvReader r = new CsvReader(Path.of(spec.path()), spec.maxBytes(), MAX_RECORD_CHARS, deadline);
        List<String> now = r.header();
        List<String> then = spec.columns().stream().map(Column::name).toList();
        if (!now.equals(then)) {
            r.close();
            throw new DataException("the header row of " + spec.path() + " changed since the dataset " + spec.name()
                    + " was added — run formix data rm and data add again");
        }
        return r;
    }
}
