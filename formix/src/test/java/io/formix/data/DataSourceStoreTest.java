package io.formix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DataSourceStoreTest {

    @TempDir
    Path home;

    @Test
    void registrationsLiveInTheNodesOwnDbBesideItsComputations() {
        FormixHome h = FormixHome.of(home);
        PartyId uid = PartyId.of("light-0001");
        SourceSpec cmd = CommandSource.define("model", List.of("python3", "u.py"), home, Duration.ofSeconds(5), 4096);
        try (DataSourceStore s = DataSourceStore.open(h, uid)) {
            assertTrue(s.add(ManualSource.define("survey"), 1000));
            assertTrue(s.add(cmd, 2000));
            assertFalse(s.add(ManualSource.define("survey"), 3000), "one source per name");
        }
        try (LightStore light = LightStore.open(h, uid)) {
            assertEquals(0, light.all().size(), "the node's own tables are untouched");
        }
        try (DataSourceStore s = DataSourceStore.open(h, uid)) {
            assertEquals(
                    List.of("model", "survey"),
                    s.list().stream().map(e -> e.spec().name()).toList());
            SourceSpec back = s.get("model").orElseThrow().spec();
            assertEquals(cmd, back);
            assertEquals(2000, s.get("model").orElseThrow().addedAt());
            assertTrue(s.remove("model"));
            assertFalse(s.remove("model"));
            assertEquals(1, s.list().size());
        }
        assertTrue(h.nodeDb(uid).toFile().isFile());
    }

    @Test
    void datasetNamesAreValidated() {
        for (String bad : new String[] {"", "1abc", "a b", "../x", "a".repeat(65), "x\u001b[2J"}) {
            assertThrows(DataException.class, () -> ManualSource.define(bad), bad);
        }
        assertEquals("Patients_2024-q1", ManualSource.define("Patients_2024-q1").name());
    }
}
