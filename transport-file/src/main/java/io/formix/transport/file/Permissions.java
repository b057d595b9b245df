package io.formix.transport.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SyftBox permission files ({@code syft.pub.yaml}) of the SyftBox layout: each channel folder in a
 * party's datasite (its outbound channels, and the folders of its acknowledgements) grants read to
 * exactly the one peer that needs it, and nothing else. A file found with other content was written
 * by someone else (or an older version): it is replaced, and that is logged with the reason.
 */
final class Permissions {

    private static final Logger LOG = LoggerFactory.getLogger(Permissions.class);
    private static final int MAX_BYTES = 64 * 1024;

    private Permissions() {}

    /** Makes {@code dir/syft.pub.yaml} grant read to {@code readerEmail} only; logs once what it replaced. */
    static void ensure(Path dir, String readerEmail, String what) throws IOException {
        Path file = dir.resolve(ChannelLayout.PERMISSION_FILE);
        byte[] wanted = ChannelLayout.permissionFor(readerEmail).getBytes(StandardCharsets.UTF_8);
        var a = SafeFiles.lstat(file);
        if (a != null && a.isRegularFile()) {
            byte[] have = readBounded(file);
            if (have != null && Arrays.equals(have, wanted)) {
                return;
            }
            LOG.warn(
                    "{}: the permission file {} {}; rewritten to grant read to {} only",
                    what,
                    file,
                    have == null ? "is longer than " + MAX_BYTES + " bytes" : "was changed by someone else",
                    readerEmail);
        } else if (a != null) {
            LOG.warn(
                    "{}: the permission file {} is a {}, not a file; replaced (not followed)",
                    what,
                    file,
                    RegularFiles.kind(a, file));
            SafeFiles.removeEntry(file);
        }
        Path temp = dir.resolve(".syft.pub.yaml.tmp");
        SafeFiles.removeEntry(temp);
        Files.write(temp, wanted, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] readBounded(Path file) throws IOException {
        try (RegularFiles.Handle h = RegularFiles.open(file)) {
            if (h.size() > MAX_BYTES) {
                return null;
            }
            byte[] b = new byte[(int) h.size()];
            h.readFully(b, 0, b.length, 0);
            return b;
        } catch (NoSuchFileException | EOFException e) {
            return new byte[0];
        }
    }
}
