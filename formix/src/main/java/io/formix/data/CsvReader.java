package io.formix.data;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RFC 4180 CSV file (UTF-8, {@code ,} separator, {@code "} quotes with {@code ""} inside,
 * LF or CRLF line ends) record by record from one reusable character buffer. A field is kept as
 * its bounds in the buffer unless it was quoted, so reading a row allocates nothing until a cell is
 * asked for as text. Every record must have as many fields as the header (a ragged row fails with
 * its line number); an empty line is skipped when the header has more than one column. A record
 * longer than {@code maxRecordChars}, a NUL character or bytes that are not UTF-8 fail too.
 */
final class CsvReader implements RowReader {

    static final int MAX_COLUMNS = 4096;
    static final int MAX_NAME = 256;

    private final Path file;
    private final Reader in;
    private final int maxRecordChars;
    private final Budget.Deadline deadline;
    private char[] buf = new char[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private int columns = MAX_COLUMNS;
    private int[] start = new int[8];
    private int[] end = new int[8];
    private String[] quoted = new String[8];
    private int fields;
    private long line;
    private long nextLine = 1;
    private long rows;
    private final List<String> header;

    /** Opens {@code file} (a regular file, not through a symlink) and reads its header row. */
    CsvReader(Path file, long maxBytes, int maxRecordChars, Budget.Deadline deadline) {
        this.file = file;
        this.maxRecordChars = maxRecordChars;
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
        try {
            if (!record()) {
                throw new DataException(file + " is empty — a CSV source needs a header row");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < fields; i++) {
                String n = text(i).strip();
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
        boolean has = record();
        while (has && fields == 1 && columns > 1 && end[0] == start[0] && quoted[0] == null) {
            has = record(); // an empty line
        }
        if (!has) {
            return false;
        }
        if (fields != columns) {
            throw new DataException(file + " line " + line + ": " + fields + " field" + (fields == 1 ? "" : "s")
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

    /** Reads one record into the field bounds; false at the end of the file. */
    private boolean record() {
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
        if (fields == columns || fields == MAX_COLUMNS) {
            throw new DataException(file + " line " + nextLine + ": more than " + columns + " field"
                    + (columns == 1 ? "" : "s") + (header == null ? "" : " where the header has " + columns)
                    + " — every row needs the same number of fields");
        }
        if (fields == start.length) {
            int n = Math.min(MAX_COLUMNS, fields * 2);
            start = java.util.Arrays.copyOf(start, n);
            end = java.util.Arrays.copyOf(end, n);
            quoted = java.util.Arrays.copyOf(quoted, n);
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
            buf = java.util.Arrays.copyOf(buf, (int) Math.min(maxRecordChars, 2L * buf.length));
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

    @Override
    public boolean missing(int column) {
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

    @Override
    public String text(int column) {
        return quoted[column] != null ? quoted[column] : new String(buf, start[column], end[column] - start[column]);
    }

    @Override
    public boolean number(int column, DecimalCell out) {
        if (quoted[column] != null) {
            return out.parse(quoted[column]);
        }
        return out.parse(buf, start[column], end[column]);
    }

    @Override
    public String where() {
        return file.getFileName() + " line " + line;
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
