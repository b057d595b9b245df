package io.formix.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.formix.state.FormixHome;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A local node's settings file is parsed again only when it changed. */
@Timeout(30)
class NodeSettingsTest {

    @TempDir
    Path dir;

    private static void write(Path f, String json) throws Exception {
        Files.createDirectories(f.getParent());
        DocumentFiles.write(f, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSettingsAreParsedOnceAndAgainAfterTheFileChanged() throws Exception {
        FormixHome home = FormixHome.of(dir);
        PartyId uid = PartyId.of("light-0001");
        Path f = NodeSettings.file(home, uid);
        assertNull(NodeSettings.of(home, uid), "an older home without the file");
        write(f, "{\"approval\":\"manual\",\"createdAt\":42}");
        long later = System.currentTimeMillis() + 3 * NodeSettings.RACY_MS;
        NodeSettings.LocalSettings first = NodeSettings.of(home, uid, later);
        assertEquals(new NodeSettings.LocalSettings(NodeRecord.Approval.MANUAL, 42), first);
        assertSame(first, NodeSettings.of(home, uid, later), "unchanged: not parsed again");
        // Written again (a temp file renamed: another file key): read again.
        write(f, "{\"approval\":\"auto\",\"createdAt\":43}");
        assertEquals(new NodeSettings.LocalSettings(NodeRecord.Approval.AUTO, 43), NodeSettings.of(home, uid, later));
        // A file written within the racy window is not remembered: read each time.
        PartyId fresh = PartyId.of("light-0002");
        write(NodeSettings.file(home, fresh), "{\"approval\":\"auto\",\"createdAt\":44}");
        long now = System.currentTimeMillis();
        NodeSettings.LocalSettings a = NodeSettings.of(home, fresh, now);
        assertEquals(44, a.createdAt());
        assertNotSame(a, NodeSettings.of(home, fresh, now));
        Files.delete(f);
        assertNull(NodeSettings.of(home, uid, later));
    }
}
