package io.formix.data;

/** Opens a registered source by its kind. */
public final class DataSources {

    private DataSources() {}

    public static DataSource open(SourceSpec spec) {
        return switch (spec.kind()) {
            case CSV -> new CsvSource(spec);
            case SQLITE -> new SqliteSource(spec);
            case COMMAND -> new CommandSource(spec);
            case MANUAL -> new ManualSource(spec);
        };
    }
}
