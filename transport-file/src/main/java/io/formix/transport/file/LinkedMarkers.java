package io.formix.transport.file;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sender's {@link FileOps} whose empty markers ({@code n.ready}, wire format v1) are hard links to
 * one empty file, the template, in the party's state folder. A new file costs the file system an
 * inode, and ext4 without a journal looks through every inode freed in the last minutes to choose
 * one, so publishing 40,000 messages a minute spent a quarter of a host's CPU there; a link costs a
 * folder entry only. To every reader a linked marker is what the format says: an empty regular
 * file, created after its message was renamed into place; a sync engine copies it as a new empty
 * file.
 *
 * <p>Where a link cannot be made, the marker is created as a new empty file, as without this class:
 * a template on another file system than the channels (a configured state folder elsewhere), a
 * file system without hard links, or a template that has as many links as the file system allows
 * (ext4: 65,000 pending markers), in which case a fresh template is put in its place first. The
 * template is made by this party in its own state folder, which only it writes; one that is not an
 * empty regular file (a link, a FIFO, a file with content) is replaced, never linked to.
 *
 * <p>Every other operation is the wrapped one's ({@link ForwardingFileOps}). Thread-safe: markers of one party's channels are
 * created by many threads at once.
 */
final class LinkedMarkers extends ForwardingFileOps {

    private static final Logger LOG = LoggerFactory.getLogger(LinkedMarkers.class);

    private final Path template;
    /** Set under {@code this}; read without it, so a checked template costs a marker no lock. */
    private volatile boolean templateChecked;
    /** False once a link failed twice where a new file could be made: markers are then new files. */
    private volatile boolean linking = true;

    LinkedMarkers(FileOps ops, Path template) {
        super(ops);
        this.template = template;
    }

    @Override
    public void createEmpty(Path file) throws IOException {
        if (linking) {
            IOException first;
            try {
                ops.createLink(file, checkedTemplate());
                return;
            } catch (FileAlreadyExistsException e) {
                throw e; // the marker exists: the caller's case, as for a new file
            } catch (IOException | UnsupportedOperationException e) {
                first = e instanceof IOException io ? io : new IOException(e);
            }
            try {
                ops.createLink(file, freshTemplate()); // e.g. the template's link count is at its limit
                return;
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                ops.createEmpty(file); // throws if new files fail too: then links were not the problem
                linking = false;
                LOG.info(
                        "markers in {} are new files from now on: no hard link to {} ({})",
                        file.getParent(),
                        template,
                        first.toString());
                return;
            }
        }
        ops.createEmpty(file);
    }

    /** The template, made (or remade) an empty regular file on first use. */
    private Path checkedTemplate() throws IOException {
        return templateChecked ? template : checkTemplate();
    }

    private synchronized Path checkTemplate() throws IOException {
        if (!templateChecked) {
            BasicFileAttributes a = SafeFiles.lstat(template);
            if (a == null || !a.isRegularFile() || a.size() != 0) {
                replaceTemplate();
            }
            templateChecked = true;
        }
        return template;
    }

    private synchronized Path freshTemplate() throws IOException {
        replaceTemplate();
        templateChecked = true;
        return template;
    }

    /** Puts a new empty file in the template's place (links already made stay valid). */
    private void replaceTemplate() throws IOException {
        Path next = template.resolveSibling("." + template.getFileName() + ".new");
        Files.deleteIfExists(next); // a leftover: removed itself, never followed
        ops.createEmpty(next);
        ops.moveAtomic(next, template);
    }

    /** Whether markers are still made as links (false after a fallback to new files). */
    boolean linking() {
        return linking;
    }
}
