package io.formix.cli;

import io.formix.query.QueryParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** An option's text given as {@code TEXT} or {@code @FILE} (a regular file, not through a symlink, bounded). */
public final class AtFile {

    private AtFile() {}

    /** {@code arg}, or the UTF-8 content of the file it names after an {@code @}; {@code option} names it in errors. */
    public static String read(String option, String arg) {
        if (!arg.startsWith("@")) {
            return arg;
        }
        Path f = Path.of(arg.substring(1));
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new CliException(ExitCodes.USAGE, option + " " + arg + ": no such regular file");
            }
            if (Files.size(f) > QueryParser.MAX_CHARS) {
                throw new CliException(
                        ExitCodes.USAGE, option + " " + arg + ": larger than " + QueryParser.MAX_CHARS + " bytes");
            }
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, option + " " + arg + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
