package io.formix.data;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RFC 4180 CSV file (UTF-8, {@code ,} separator, {@code "} quotes with {@code ""} inside,
 * LF or CRLF line ends) as rows under a header, the records split by {@link CsvRecords} from one
 * reusable character buffer, so reading a row allocates nothing until a cell is asked for as text.
 * The header's names must be non-empty, distinct and at most {@link #MAX_NAME} characters. Every
 * record must have as many fields as the header (a ragged row fails with its line number); an empty
 * line is skipped when the header has more than one column. A record longer than
 * {@code maxRecordChars}, a NUL character or bytes that are not UTF-8 fail too. Not thread-safe.
 */
final class CsvReader implements RowReader {

    static final int MAX_COLUMNS = 4096;
    static final int MAX_NAME = 256;

    private final Path file;
    private final Reader in;
    private final Budget.Deadline deadline;
    private final CsvRecords records;
    private int columns = MAX_COLUMNS;
    private long rows;
    private final List<String> header;

    /** Opens {@code file} (a regular file, not through a symlink) and reads its header row. */
    CsvReader(Path file, long maxBytes, int maxRecordChars, Budget.Deadline deadline) {
        this.file = file;
        this.deadline = deadline;
        checkFile(file, maxBytes, "CSV");
        try {
            this.in = new InputStreamReader(
                    Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT));
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage());
        }
        this.records = new CsvRecords(file, in, maxRecordChars);
        try {
            if (!records.record()) {
                throw new DataException(file + " is empty — a CSV source needs a header row");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < records.fields(); i++) {
                String n = records.text(i).strip();
                if (i == 0 && n.startsWith("\uFEFF")) {
                    n = n.substring(1).strip();
                }
                if (n.isEmpty()) {
                    throw new DataException(file + " line 1: column " + (i + 1) + " has no name in the header row");
                }
                if (n.length() > MAX_NAME) {
                    throw new DataException(
                            file + " line 1: column " + (i + 1) + "'s name is longer than " + MAX_NAME + " characters");
                }
                if (names.contains(n)) {
                    throw new DataException(file + " line 1: column '" + n + "' appears twice in the header row");
                }
                names.add(n);
            }
            this.header = List.copyOf(names);
            this.columns = names.size();
            records.expectColumns(columns);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Fails unless {@code file} is a regular file (not a symlink, FIFO or folder) of at most {@code maxBytes}. */
    static void checkFile(Path file, long maxBytes, String what) {
        if (Files.isSymbolicLink(file)) {
            throw new DataException(file + " is a symbolic link — give the path of the file itself");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new DataException("no file " + file);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new DataException(file + " is not a regular file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage());
        }
        if (size > maxBytes) {
            throw new DataException(file + " is " + Sizes.format(size) + ", above the limit of "
                    + Sizes.format(maxBytes) + " for a " + what + " source (raise it with --max-size)");
        }
    }

    List<String> header() {
        return header;
    }

    @Override
    public boolean next() {
        boolean has = records.record();
        while (has && columns > 1 && records.emptyLine()) {
            has = records.record(); // an empty line
        }
        if (!has) {
            return false;
        }
        int fields = records.fields();
        if (fields != columns) {
            throw new DataException(file + " line " + records.line() + ": " + fields + " field"
                    + (fields == 1 ? "" : "s")
                    + " where the header has " + columns + " — every row needs the same number of fields");
        }
        rows++;
        if ((rows & 1023) == 0 || rows > deadline.maxRows()) {
            deadline.check(rows);
        }
        return true;
    }

    long rows() {
        return rows;
    }

    @Override
    public boolean missing(int column) {
        return records.missing(column);
    }

    @Override
    public String text(int column) {
        return records.text(column);
    }

    @Override
    public boolean number(int column, DecimalCell out) {
        return records.number(column, out);
    }

    @Override
    public String where() {
        return file.getFileName() + " line " + records.line();
    }

    @Override
    public void close() {
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException ignored) {
            // a read-only file: nothing to lose
        }
    }
}
