package io.formix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.formix.query.Aggregate;
import io.formix.query.PlainAnswers;
import io.formix.query.Query;
import io.formix.query.QueryException;
import io.formix.service.ServiceException.Kind;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * An answer its owner types for a manual source ({@code comp answer}): exactly one of a value in
 * the query's type ({@code --value 7}, {@code --value '{"sum": 12.5, "count": 3}'}), a category of a
 * choice ({@code --choice bike}) or a file holding the value ({@code --file F}, at most
 * {@link #MAX_FILE_BYTES}, a regular file, not a symbolic link). Checked exactly like a command's
 * output ({@link PlainAnswers}).
 */
public record ManualAnswer(String value, String choice, Path file) {

    /** The largest answer file read. */
    public static final long MAX_FILE_BYTES = 16L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cells this answer gives to {@code q}; a usage error naming what is wrong otherwise. */
    long[] cells(Query q) {
        int given = (value != null ? 1 : 0) + (choice != null ? 1 : 0) + (file != null ? 1 : 0);
        if (given != 1) {
            throw new ServiceException(Kind.USAGE, "give exactly one of --value, --choice and --file");
        }
        Aggregate a = q.aggregate();
        try {
            if (choice != null) {
                if (!(a instanceof Aggregate.Choice)) {
                    throw new ServiceException(
                            Kind.USAGE,
                            "--choice answers a choice; this query asks for a " + a.type() + ": use --value");
                }
                return PlainAnswers.parse(a, q.maxRows(), JSON.writeValueAsString(choice), "--choice");
            }
            String text = value != null ? value : read(file);
            return PlainAnswers.parse(a, q.maxRows(), text, value != null ? "--value" : "--file " + file.getFileName());
        } catch (QueryException e) {
            throw new ServiceException(Kind.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new ServiceException(Kind.USAGE, "--file: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String read(Path f) throws IOException {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new ServiceException(
                    Kind.USAGE, "--file: " + f + " is not a regular file (no links, folders, FIFOs)");
        }
        if (Files.size(f) > MAX_FILE_BYTES) {
            throw new ServiceException(Kind.USAGE, "--file: " + f + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ServiceException(Kind.USAGE, "--file: " + f + " is not UTF-8 text");
        }
    }
}
