package io.formix.data;

/** A source of rows (CSV, SQLite): Formix evaluates queries over them itself. */
public interface TabularSource extends DataSource {

    /**
     * Opens the rows for one read within {@code deadline}. The columns are those of
     * {@link #descriptor()}, in order; a source whose columns changed since it was added fails.
     */
    RowReader open(Budget.Deadline deadline);
}
