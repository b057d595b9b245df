package io.formix.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Splits RFC 4180 CSV text into records from one reusable character buffer ({@code ,} separator,
 * {@code "} quotes with {@code ""} inside, LF or CRLF line ends). A field is kept as its bounds in
 * the buffer unless it was quoted, so a record allocates nothing until a field is asked for as text.
 * The buffer grows up to {@code maxRecordChars}; a longer record, more fields than expected, a NUL
 * character, an unclosed quote or bytes that are not UTF-8 fail with the line number. The fields of a
 * record are valid until the next {@link #record()}. Not thread-safe; does not close {@code in}.
 */
final class CsvRecords {

    private final Path file;
    private final Reader in;
    private final int maxRecordChars;
    private char[] buf = new char[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private int columns = CsvReader.MAX_COLUMNS;
    private boolean headerRead;
    private int[] start = new int[8];
    private int[] end = new int[8];
    private String[] quoted = new String[8];
    private int fields;
    private long line;
    private long nextLine = 1;

    /** Reads from {@code in}, naming {@code file} in errors. */
    CsvRecords(Path file, Reader in, int maxRecordChars) {
        this.file = file;
        this.in = in;
        this.maxRecordChars = maxRecordChars;
    }

    /** From now on every record may have at most {@code n} fields, the header's count. */
    void expectColumns(int n) {
        this.columns = n;
        this.headerRead = true;
    }

    /** How many fields the current record has. */
    int fields() {
        return fields;
    }

    /** True if the current record is an empty line (one unquoted empty field). */
    boolean emptyLine() {
        return fields == 1 && end[0] == start[0] && quoted[0] == null;
    }

    /** The line on which the current record starts (1 for the first). */
    long line() {
        return line;
    }

    /** Reads one record into the field bounds; false at the end of the file. */
    boolean record() {
        restart:
        while (true) {
            int i = pos;
            fields = 0;
            int fieldStart = i;
            long newlines = 0;
            while (true) {
                if (i == limit) {
                    if (fill()) {
                        continue restart;
                    }
                    if (i == pos) {
                        return false;
                    }
                    addField(fieldStart, i > fieldStart && buf[i - 1] == '\r' ? i - 1 : i, null);
                    line = nextLine;
                    nextLine += newlines + 1;
                    pos = i;
                    return true;
                }
                char c = buf[i];
                if (c == ',') {
                    addField(fieldStart, i, null);
                    fieldStart = ++i;
                } else if (c == '\n') {
                    addField(fieldStart, i > fieldStart && buf[i - 1] == '\r' ? i - 1 : i, null);
                    line = nextLine;
                    nextLine += newlines + 1;
                    pos = i + 1;
                    return true;
                } else if (c == '"' && i == fieldStart) {
                    StringBuilder sb = new StringBuilder();
                    int j = i + 1;
                    while (true) {
                        if (j == limit) {
                            if (fill()) {
                                continue restart;
                            }
                            throw new DataException(file + " line " + (nextLine + newlines)
                                    + ": a quoted field is not closed before the end of the file");
                        }
                        char q = buf[j];
                        if (q == '"') {
                            if (j + 1 == limit && fill()) {
                                continue restart;
                            }
                            if (j + 1 < limit && buf[j + 1] == '"') {
                                sb.append('"');
                                j += 2;
                                continue;
                            }
                            break;
                        }
                        if (q == '\n') {
                            newlines++;
                        } else if (q == 0) {
                            throw notText(nextLine + newlines);
                        }
                        sb.append(q);
                        j++;
                    }
                    j++; // past the closing quote
                    if (j < limit && buf[j] == '\r' && j + 1 < limit && buf[j + 1] == '\n') {
                        j++;
                    }
                    if (j < limit && buf[j] != ',' && buf[j] != '\n') {
                        if (j + 1 == limit && buf[j] == '\r' && fill()) {
                            continue restart;
                        }
                        throw new DataException(
                                file + " line " + (nextLine + newlines) + ": text after the closing quote of a field");
                    }
                    addField(i, j, sb.toString());
                    if (j == limit) {
                        if (fill()) {
                            continue restart;
                        }
                        line = nextLine;
                        nextLine += newlines + 1;
                        pos = j;
                        return true;
                    }
                    if (buf[j] == '\n') {
                        line = nextLine;
                        nextLine += newlines + 1;
                        pos = j + 1;
                        return true;
                    }
                    fieldStart = ++j;
                    i = j;
                } else if (c == 0) {
                    throw notText(nextLine + newlines);
                } else {
                    i++;
                }
            }
        }
    }

    private DataException notText(long at) {
        return new DataException(file + " line " + at + ": a NUL character — this is not a text (CSV) file");
    }

    private void addField(int from, int to, String unquoted) {
        if (fields == columns || fields == CsvReader.MAX_COLUMNS) {
            throw new DataException(file + " line " + nextLine + ": more than " + columns + " field"
                    + (columns == 1 ? "" : "s") + (headerRead ? " where the header has " + columns : "")
                    + " — every row needs the same number of fields");
        }
        if (fields == start.length) {
            int n = Math.min(CsvReader.MAX_COLUMNS, fields * 2);
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            quoted = Arrays.copyOf(quoted, n);
        }
        start[fields] = from;
        end[fields] = to;
        quoted[fields] = unquoted;
        fields++;
    }

    /**
     * Moves the record being read to the front of the buffer (growing it, up to the record bound,
     * if it is full) and reads more; true if the record is to be scanned again (it moved, or more
     * was read), false at the end of the file with the record where it was.
     */
    private boolean fill() {
        if (eof) {
            return false;
        }
        boolean moved = pos > 0;
        if (moved) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= maxRecordChars) {
                throw new DataException(file + " line " + nextLine + ": a record longer than " + maxRecordChars
                        + " characters — is this a CSV file?");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(maxRecordChars, 2L * buf.length));
        }
        try {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
                return moved; // if the record moved, it must be scanned again
            }
            limit += n;
            return true;
        } catch (CharacterCodingException e) {
            throw new DataException(file + " near line " + nextLine + ": bytes that are not UTF-8 — this is not a "
                    + "text (CSV) file, or not in UTF-8");
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** True if field {@code column} of the current record is empty or blank. */
    boolean missing(int column) {
        if (quoted[column] != null) {
            return quoted[column].isBlank();
        }
        for (int i = start[column]; i < end[column]; i++) {
            if (buf[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    /** Field {@code column} of the current record as text (unquoted). */
    String text(int column) {
        return quoted[column] != null ? quoted[column] : new String(buf, start[column], end[column] - start[column]);
    }

    /** Parses field {@code column} of the current record into {@code out}; false if it is not a number. */
    boolean number(int column, DecimalCell out) {
        if (quoted[column] != null) {
            return out.parse(quoted[column]);
        }
        return out.parse(buf, start[column], end[column]);
    }
}
