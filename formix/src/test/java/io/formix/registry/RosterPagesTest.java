package io.formix.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.FormixHome;
import io.formix.transport.PartyId;
import io.formix.transport.seal.Fingerprint;
import io.formix.transport.seal.IdentityKey;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Roster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roster larger than one signed document is cut into pages that all carry one stamp: read back
 * whole and in order, refused whole when a page is missing or left from another version.
 */
@Timeout(30)
class RosterPagesTest {

    @TempDir
    Path dir;

    private FormixHome home;
    private IdentityKey admin;
    private NetworkDescriptor nd;

    @BeforeEach
    void network() throws Exception {
        home = FormixHome.of(dir);
        admin = IdentityKey.generate();
        byte[] doc = NetworkDescriptor.create(admin, "file-v1").sign(admin);
        nd = NetworkDescriptor.verify(doc, admin.fingerprint());
        Files.createDirectories(home.sharedDir());
    }

    private List<Roster.Entry> entries(int n) {
        List<Roster.Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Roster.Entry(
                    PartyId.of(String.format("light-%04d", i)),
                    i < 3 ? Role.HEAVY : Role.LIGHT,
                    Fingerprint.of(IdentityKey.generate().publicKey())));
        }
        return out;
    }

    @Test
    void aThousandNodesTravelInFivePagesAndComeBackInOrder() throws Exception {
        List<Roster.Entry> all = entries(1003);
        RosterPages pages = RosterPages.of(nd.networkId(), 7, all);
        pages.publish(home, admin);
        assertTrue(
                Files.exists(home.sharedDir().resolve("roster.4.json"))
                        && !Files.exists(home.sharedDir().resolve("roster.5.json")),
                "pages 0..4 of 250 entries");
        RosterPages back = RosterPages.read(home, nd, -1).orElseThrow();
        assertEquals(all, back.entries());
        assertEquals(7, back.version());
        assertEquals(7005, back.stamp());
        assertTrue(Files.size(home.sharedDir().resolve("roster.json")) < 64 * 1024);

        // A shorter roster removes the pages it no longer has.
        RosterPages.of(nd.networkId(), 8, all.subList(0, 10)).publish(home, admin);
        assertTrue(!Files.exists(home.sharedDir().resolve("roster.1.json")));
        assertEquals(
                10, RosterPages.read(home, nd, 7005).orElseThrow().entries().size());
    }

    @Test
    void aMissingPageOrAPageOfAnotherVersionRefusesTheWholeRoster() throws Exception {
        List<Roster.Entry> all = entries(600);
        RosterPages.of(nd.networkId(), 1, all).publish(home, admin);
        byte[] oldPage1 = Files.readAllBytes(home.sharedDir().resolve("roster.1.json"));
        RosterPages.of(nd.networkId(), 2, all).publish(home, admin);

        Files.write(home.sharedDir().resolve("roster.1.json"), oldPage1);
        RegistryException mixed = assertThrows(RegistryException.class, () -> RosterPages.read(home, nd, -1));
        assertTrue(mixed.getMessage().contains("roster.1.json refused"), mixed.getMessage());

        Files.delete(home.sharedDir().resolve("roster.1.json"));
        RegistryException missing = assertThrows(RegistryException.class, () -> RosterPages.read(home, nd, -1));
        assertTrue(missing.getMessage().contains("a page is missing"), missing.getMessage());

        RegistryException rollback = assertThrows(RegistryException.class, () -> RosterPages.read(home, nd, 3001));
        assertTrue(rollback.getMessage().contains("older than the accepted"), rollback.getMessage());
    }
}
