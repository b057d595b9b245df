package io.formix.registry;

import io.formix.transport.seal.DocumentFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members' descriptor files as this process last read them, so that a sync does not open and
 * read 10,000 files to find the same bytes. A file is read again unless its size, modification
 * time, change time and file key (device and inode) are all those of the last read and that read
 * came more than {@value #RACY_MS} ms after both times (a rewrite within the same tick of the file
 * system's clock could leave them all equal). The change time cannot be set back by the file's
 * owner, only by the clock: a rewrite that keeps all four is not possible short of that. Where the
 * file system reports no change time or file key, every file is read.
 *
 * <p>This decides only whether the disk is read, never what is accepted: the bytes given back go
 * through the same verification as bytes just read ({@link VerifiedDocuments}), and the same
 * checks as {@link DocumentFiles#read} (a regular file, no link, within the bound) are made on the
 * attributes every time. At most one entry per member; thread-safe.
 */
final class KnownFiles {

    static final long RACY_MS = 2_000;

    private static final String ATTRIBUTES = "unix:size,lastModifiedTime,ctime,fileKey,isRegularFile,isSymbolicLink";

    private record Read(long size, FileTime modified, FileTime changed, Object fileKey, byte[] doc) {}

    private static final Map<Path, Read> READ = new ConcurrentHashMap<>();

    private KnownFiles() {}

    /** The document at {@code file} (empty if there is none), as {@link SharedFiles#read} gives it. */
    static Optional<byte[]> read(Path file) throws IOException {
        return read(file, System.currentTimeMillis());
    }

    /** {@link #read(Path)} at wall-clock time {@code now} (ms), the time compared with the file's. */
    static Optional<byte[]> read(Path file, long now) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            READ.remove(file);
            return Optional.empty();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return SharedFiles.read(file); // no change time here: read every time
        }
        long size = (Long) a.get("size");
        FileTime modified = (FileTime) a.get("lastModifiedTime");
        FileTime changed = (FileTime) a.get("ctime");
        Object key = a.get("fileKey");
        boolean plain = Boolean.TRUE.equals(a.get("isRegularFile")) && !Boolean.TRUE.equals(a.get("isSymbolicLink"));
        Read r = READ.get(file);
        if (plain
                && r != null
                && size <= DocumentFiles.MAX_BYTES
                && r.size() == size
                && r.modified().equals(modified)
                && r.changed().equals(changed)
                && Objects.equals(r.fileKey(), key)) {
            return Optional.of(r.doc());
        }
        Optional<byte[]> doc = SharedFiles.read(file);
        boolean still = Math.max(modified.toMillis(), changed.toMillis()) < now - RACY_MS;
        if (doc.isPresent() && doc.get().length == size && key != null && plain && still) {
            if (READ.size() >= VerifiedDocuments.MAX_MEMBERS && !READ.containsKey(file)) {
                READ.clear();
            }
            READ.put(file, new Read(size, modified, changed, key, doc.get()));
        } else {
            READ.remove(file);
        }
        return doc;
    }
}
