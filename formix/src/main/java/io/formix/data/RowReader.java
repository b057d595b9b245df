package io.formix.data;

/**
 * The rows of a tabular source, one at a time, in the source's order. Not thread-safe. A cell is
 * read by column index (the {@link Descriptor}'s order); a blank cell (empty or spaces only, or
 * SQL NULL) is a missing value. Errors name the line or row.
 */
public interface RowReader extends AutoCloseable {

    /** Advances to the next row; false at the end. */
    boolean next();

    /** Whether the cell is missing (blank or NULL). */
    boolean missing(int column);

    /** The cell's text, exactly as in the source ({@code ""} when missing). */
    String text(int column);

    /** Parses the cell as a number into {@code out}; false if it is missing or not a number. */
    boolean number(int column, DecimalCell out);

    /** Where the current row is, for errors: "line 12" or "row 12". */
    String where();

    @Override
    void close();
}
