package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each machine limit a host of many nodes meets is named in one line with what to raise. */
@Timeout(10)
class ResourceLimitsTest {

    @Test
    void tooManyOpenFilesNamesTheLimitAndWhatToRaise() {
        IOException e = new FileSystemException("/x/node.db", null, "Too many open files");
        String m = ResourceLimits.explain(new StateException("cannot open", e), null);
        assertEquals(
                "too many open files (limit " + ResourceLimits.openFileLimit()
                        + "): raise `ulimit -n` or host fewer nodes per process",
                m);
        assertTrue(ResourceLimits.openFileLimit() > 0, "read from /proc/self/limits");
    }

    @Test
    void sqliteUnableToOpenCountsOnlyAtTheDescriptorLimit() {
        // SQLite hides errno: "unable to open" is a descriptor limit only when the process is at it.
        SQLException cantOpen = new SQLException("[SQLITE_CANTOPEN] unable to open database file");
        assertFalse(
                ResourceLimits.tooManyOpenFiles(new StateException("x", cantOpen)),
                "this test process is far below its limit");
        assertTrue(ResourceLimits.openFiles() > 0);
    }

    @Test
    void inotifyAndDiskAreNamedToo() {
        String watches = ResourceLimits.explain(new IOException("User limit of inotify watches reached"), null);
        assertTrue(watches.startsWith("inotify watches exhausted (limit "), watches);
        assertTrue(watches.contains("fs.inotify.max_user_watches"), watches);
        assertTrue(watches.matches("inotify watches exhausted \\(limit [0-9]+\\).*"), watches);
        String instances = ResourceLimits.explain(
                new IOException("User limit of inotify instances reached or too many open files"), null);
        assertTrue(instances.startsWith("inotify instances exhausted (limit "), instances);
        assertTrue(instances.contains("fs.inotify.max_user_instances"), instances);
        String disk =
                ResourceLimits.explain(new FileSystemException("/x", null, "No space left on device"), Path.of("/x"));
        assertEquals("disk full (/x): free space on that disk", disk);
        for (String line : new String[] {watches, instances, disk}) {
            assertFalse(line.contains("\n"), "one line: " + line);
        }
    }

    @Test
    void otherFailuresAreLeftAlone() {
        assertNull(ResourceLimits.explain(new IOException("permission denied"), null));
        assertNull(ResourceLimits.explain(new StateException("database x: no such table"), null));
    }
}
