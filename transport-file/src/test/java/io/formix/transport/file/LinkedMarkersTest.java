package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Empty markers as hard links to one template in the sender's state folder, and every fallback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkedMarkersTest {

    private static final PartyId A = PartyId.of("a");
    private static final PartyId B = PartyId.of("b");
    private static final PartyId C = PartyId.of("c");
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path root;

    private Object inode(Path p) throws IOException {
        return Files.readAttributes(p, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
    }

    private Path template() {
        return StateDir.defaultFor(root, A).resolve(StateDir.MARKER_TEMPLATE);
    }

    @Test
    void markersOfEveryChannelAreEmptyLinksToOneTemplateAndReadAsUsual() throws Exception {
        try (FileTransport a = FileTransport.builder(root, A).open();
                FileTransport b = FileTransport.builder(root, B).open()) {
            a.send(B, "one".getBytes(StandardCharsets.US_ASCII));
            a.send(B, "two".getBytes(StandardCharsets.US_ASCII));
            a.send(C, "three".getBytes(StandardCharsets.US_ASCII));
            Path r0 = root.resolve("a_to_b/00000000.ready");
            Path r1 = root.resolve("a_to_b/00000001.ready");
            Path rc = root.resolve("a_to_c/00000000.ready");
            for (Path r : List.of(r0, r1, rc)) {
                assertTrue(Files.isRegularFile(r, LinkOption.NOFOLLOW_LINKS), r + " is a regular file");
                assertEquals(0, Files.size(r), r + " is empty");
                assertEquals(inode(template()), inode(r), r + " is a link to the template");
            }
            assertEquals(4, Files.getAttribute(template(), "unix:nlink"), "the template and three markers");
            assertNotEquals(inode(r0), inode(root.resolve("a_to_b/00000000.msg")), "a message is its own file");
            assertArrayEquals(
                    "one".getBytes(StandardCharsets.US_ASCII),
                    b.receive(A, WAIT).orElseThrow().payload());
            Message two = b.receive(A, WAIT).orElseThrow();
            assertEquals(1, two.sequence());
            b.receive(A, Duration.ofMillis(1)); // acknowledges 1: its files go
            assertFalse(Files.exists(r1, LinkOption.NOFOLLOW_LINKS));
            assertEquals(0, Files.size(template()), "deleting a marker leaves the template empty");
            assertEquals(2, Files.getAttribute(template(), "unix:nlink"), "the template and a_to_c's marker");
        }
    }

    @Test
    void aTemplateThatIsNotAnEmptyRegularFileIsReplacedNeverLinkedTo() throws Exception {
        Path secret = root.resolve("secret.txt");
        Files.writeString(secret, "not for the receiver");
        Files.createDirectories(template().getParent());
        Files.createSymbolicLink(template(), secret);
        try (FileTransport a = FileTransport.builder(root, A).open()) {
            a.send(B, new byte[] {1});
        }
        Path marker = root.resolve("a_to_b/00000000.ready");
        assertEquals(0, Files.size(marker));
        assertNotEquals(inode(secret), inode(marker));
        assertEquals("not for the receiver", Files.readString(secret), "the link's target is untouched");
        assertTrue(Files.isRegularFile(template(), LinkOption.NOFOLLOW_LINKS), "a real template in its place");

        Files.delete(template());
        Files.writeString(template(), "content");
        try (FileTransport a = FileTransport.builder(root, A).open()) {
            a.send(B, new byte[] {2});
        }
        assertEquals(0, Files.size(root.resolve("a_to_b/00000001.ready")), "a template with content is replaced");
    }

    /** Real operations whose links fail as planned: {@code linkFailures} times, or always if negative. */
    private static final class LinkLimit extends ForwardingFileOps {
        int linkFailures;
        final List<String> calls = new ArrayList<>();

        LinkLimit(int linkFailures) {
            super(REAL);
            this.linkFailures = linkFailures;
        }

        @Override
        public void createLink(Path link, Path existing) throws IOException {
            calls.add("link " + link.getFileName());
            if (linkFailures != 0) {
                linkFailures--;
                throw new FileSystemException(link.toString(), existing.toString(), "Too many links");
            }
            super.createLink(link, existing);
        }

        @Override
        public void createEmpty(Path file) throws IOException {
            calls.add("create " + file.getFileName());
            super.createEmpty(file);
        }
    }

    @Test
    void aTemplateAtItsLinkLimitIsReplacedAndEarlierMarkersStay() throws Exception {
        Path t = template();
        LinkedMarkers ops = new LinkedMarkers(new LinkLimit(0), t);
        Files.createDirectories(t.getParent());
        Path first = root.resolve("first.ready");
        ops.createEmpty(first);
        Object oldTemplate = inode(t);
        LinkLimit limited = new LinkLimit(1);
        LinkedMarkers full = new LinkedMarkers(limited, t);
        Path second = root.resolve("second.ready");
        full.createEmpty(second);
        assertTrue(full.linking());
        assertEquals(inode(t), inode(second), "linked to the fresh template");
        assertNotEquals(oldTemplate, inode(t), "a new template took the old one's place");
        assertEquals(oldTemplate, inode(first), "the earlier marker is still there, still empty");
        assertEquals(0, Files.size(first));
        assertThrows(FileAlreadyExistsException.class, () -> full.createEmpty(second), "an existing marker");
    }

    @Test
    void whereLinksCannotBeMadeMarkersAreNewFilesFromThenOn() throws Exception {
        Path t = template();
        Files.createDirectories(t.getParent());
        LinkLimit never = new LinkLimit(-1);
        LinkedMarkers ops = new LinkedMarkers(never, t);
        ops.createEmpty(root.resolve("0.ready"));
        assertFalse(ops.linking());
        ops.createEmpty(root.resolve("1.ready"));
        assertEquals(2, never.calls.stream().filter(c -> c.startsWith("link")).count(), "tried twice, then never");
        assertTrue(never.calls.contains("create 1.ready"));
        assertEquals(1, Files.getAttribute(root.resolve("1.ready"), "unix:nlink"));
        assertEquals(0, Files.size(root.resolve("1.ready")));
    }
}
