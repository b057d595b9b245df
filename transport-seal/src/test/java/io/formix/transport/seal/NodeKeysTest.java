package io.formix.transport.seal;

import static io.formix.transport.seal.Fixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Key storage on a real POSIX file system: modes, symbolic links, round trips. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeKeysTest {

    private static final Instant NBF = T0;
    private static final Instant EXP = T0.plus(Duration.ofDays(30));

    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aShortenedExpiryIsStoredOwnerOnlyAndReachesAnotherProcessOnReload() throws Exception {
        Path dir = tmp.resolve("keys");
        NodeKeys writer = NodeKeys.create(dir, NBF, EXP);
        NodeKeys running = NodeKeys.load(dir); // what a running node holds
        String old = writer.encryptionKeys().get(0).kid();
        EncryptionKey added = writer.addEncryptionKey(NBF.plusSeconds(1), EXP);
        Instant cut = NBF.plus(Duration.ofDays(2));
        assertEquals(cut, writer.expireEncryptionKey(old, cut).expiresAt());
        assertEquals(cut, writer.expireEncryptionKey(old, cut.plusSeconds(60)).expiresAt(), "never lengthened");
        assertEquals("rw-------", mode(dir.resolve("enc-" + old + ".key")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temp file left");
        }
        assertEquals(cut, NodeKeys.load(dir).privateKey(old).orElseThrow().key().expiresAt());

        assertEquals(EXP, running.privateKey(old).orElseThrow().key().expiresAt());
        assertTrue(running.reload());
        assertEquals(cut, running.privateKey(old).orElseThrow().key().expiresAt());
        assertEquals(added, running.privateKey(added.kid()).orElseThrow().key());
        assertFalse(running.reload(), "nothing new the second time");
        assertThrows(IllegalArgumentException.class, () -> writer.expireEncryptionKey("0badc0de", cut));
    }

    @Test
    void aReloadKeepsTheKeysItHasAndTakesAKeyWhoseFileChanged() throws Exception {
        Path dir = tmp.resolve("keys");
        NodeKeys writer = NodeKeys.create(dir, NBF, EXP);
        NodeKeys running = NodeKeys.load(dir);
        String kid = writer.encryptionKeys().get(0).kid();
        NodeKeys.Private before = running.privateKey(kid).orElseThrow();

        assertFalse(running.reload());
        assertSame(before.pair(), running.privateKey(kid).orElseThrow().pair(), "not derived again");

        Instant cut = NBF.plus(Duration.ofDays(3));
        writer.expireEncryptionKey(kid, cut);
        assertTrue(running.reload());
        NodeKeys.Private after = running.privateKey(kid).orElseThrow();
        assertEquals(cut, after.key().expiresAt());
        assertSame(before.pair(), after.pair(), "same private key: same pair");

        // Another private key under the same kid (a file replaced by hand): its own public key.
        NodeKeys other = NodeKeys.inMemory(NBF, EXP);
        EncryptionKey foreign = other.encryptionKeys().get(0);
        KeyFiles.replace(
                dir.resolve("enc-" + kid + ".key"),
                ("{\"type\":\"formix/encryption-key\",\"v\":1,\"kid\":\"" + kid + "\",\"sk\":\""
                                + Bytes.b64(Hpke.privateKey(other.privateKey(foreign.kid())
                                        .orElseThrow()
                                        .pair()))
                                + "\",\"nbf\":" + NBF.getEpochSecond() + ",\"exp\":" + EXP.getEpochSecond() + "}")
                        .getBytes(StandardCharsets.UTF_8));
        assertTrue(running.reload());
        assertArrayEquals(
                foreign.publicKey(), running.privateKey(kid).orElseThrow().key().publicKey());
        assertArrayEquals(
                foreign.publicKey(),
                NodeKeys.load(dir).privateKey(kid).orElseThrow().key().publicKey());
    }

    @Test
    void createdKeysAreOwnerOnlyAndLoadBack() throws Exception {
        Path dir = tmp.resolve("nodes/heavy-1/keys");
        NodeKeys created = NodeKeys.create(dir, NBF, EXP);
        assertEquals("rwx------", mode(dir));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertEquals(2, files.size(), "identity.key and one enc-<kid>.key, no temp file left: " + files);
        for (Path p : files) {
            assertEquals("rw-------", mode(p), p.toString());
        }
        EncryptionKey second = created.addEncryptionKey(NBF.plus(Duration.ofDays(1)), EXP.plus(Duration.ofDays(30)));
        assertEquals("rw-------", mode(dir.resolve("enc-" + second.kid() + ".key")));

        NodeKeys loaded = NodeKeys.load(dir);
        assertEquals(created.identity().fingerprint(), loaded.identity().fingerprint());
        assertEquals(created.encryptionKeys(), loaded.encryptionKeys());
        assertEquals(2, loaded.encryptionKeys().size());
        assertEquals(dir, loaded.directory().orElseThrow());
        // The loaded private keys open what was sealed to the created public ones.
        NetworkId net = NetworkId.random();
        PartyId a = PartyId.of("a");
        PartyId b = PartyId.of("b");
        NodeKeys sender = NodeKeys.inMemory(NBF, EXP);
        KeyDirectory dirOf = KeyDirectory.of(List.of(
                NodeDescriptor.of(net, a, Role.LIGHT, 0, sender), NodeDescriptor.of(net, b, Role.HEAVY, 0, created)));
        TestClock clock = new TestClock(NBF.plus(Duration.ofDays(2)));
        byte[] env =
                new Sealer(net, a, sender.identity(), dirOf, clock, 0).seal(b, 1, "x".getBytes(StandardCharsets.UTF_8));
        Opener opener = new Opener(net, b, loaded, dirOf, clock, Duration.ZERO, 1 << 16);
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), opener.open(opener.verify(env, a)));
    }

    @Test
    void toStringNeverShowsAPrivateKey() throws Exception {
        NodeKeys k = NodeKeys.create(tmp.resolve("keys"), NBF, EXP);
        String id = Files.readString(tmp.resolve("keys/identity.key"));
        assertTrue(id.contains("\"sk\""));
        assertFalse(k.toString().contains(Bytes.b64(k.identity().seed())), "toString never shows a private key");
        assertFalse(k.identity().toString().contains(Bytes.b64(k.identity().seed())));
    }

    @Test
    void creatingTwiceIsRefused() throws Exception {
        NodeKeys.create(tmp.resolve("keys"), NBF, EXP);
        assertThrows(FileAlreadyExistsException.class, () -> NodeKeys.create(tmp.resolve("keys"), NBF, EXP));
    }

    @Test
    void aGroupReadableKeyFileIsRefusedWithTheFix() throws Exception {
        Path dir = tmp.resolve("keys");
        NodeKeys.create(dir, NBF, EXP);
        Path id = dir.resolve("identity.key");
        Files.setPosixFilePermissions(id, PosixFilePermissions.fromString("rw-r-----"));
        UnsafeKeyFileException e = assertThrows(UnsafeKeyFileException.class, () -> NodeKeys.load(dir));
        assertTrue(e.getMessage().contains("readable by group or others (mode 0640)"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600 " + id), e.getMessage());
        Files.setPosixFilePermissions(id, PosixFilePermissions.fromString("rw----r--"));
        assertThrows(UnsafeKeyFileException.class, () -> NodeKeys.load(dir));
        Files.setPosixFilePermissions(id, PosixFilePermissions.fromString("rw-------"));
        NodeKeys.load(dir);
    }

    @Test
    void anOpenKeyDirectoryIsRefused() throws Exception {
        Path dir = tmp.resolve("keys");
        NodeKeys.create(dir, NBF, EXP);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        UnsafeKeyFileException e = assertThrows(UnsafeKeyFileException.class, () -> NodeKeys.load(dir));
        assertTrue(e.getMessage().contains("chmod 700"), e.getMessage());
        assertThrows(UnsafeKeyFileException.class, () -> NodeKeys.create(dir.resolveSibling("keys"), NBF, EXP));
    }

    @Test
    void aSymlinkedKeyDirectoryIsRefused() throws Exception {
        Path real = tmp.resolve("real");
        NodeKeys.create(real, NBF, EXP);
        Path link = Files.createSymbolicLink(tmp.resolve("keys"), real);
        UnsafeKeyFileException e = assertThrows(UnsafeKeyFileException.class, () -> NodeKeys.load(link));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        Path emptyTarget = Files.createDirectory(tmp.resolve("elsewhere"));
        Path link2 = Files.createSymbolicLink(tmp.resolve("keys2"), emptyTarget);
        assertThrows(UnsafeKeyFileException.class, () -> NodeKeys.create(link2, NBF, EXP));
        try (Stream<Path> s = Files.list(emptyTarget)) {
            assertEquals(0, s.count(), "nothing was written through the link");
        }
    }

    @Test
    void aSymlinkedKeyFileIsRefused() throws Exception {
        Path dir = tmp.resolve("keys");
        NodeKeys keys = NodeKeys.create(dir, NBF, EXP);
        String kid = keys.encryptionKeys().get(0).kid();
        Path enc = dir.resolve("enc-" + kid + ".key");
        Path moved = tmp.resolve("stolen.key");
        Files.move(enc, moved);
        Files.createSymbolicLink(enc, moved);
        UnsafeKeyFileException e = assertThrows(UnsafeKeyFileException.class, () -> NodeKeys.load(dir));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void aMissingOrMalformedKeyFileIsOneClearLine() throws Exception {
        Path dir = tmp.resolve("keys");
        NodeKeys keys = NodeKeys.create(dir, NBF, EXP);
        Path enc = dir.resolve("enc-" + keys.encryptionKeys().get(0).kid() + ".key");
        Files.writeString(enc, "{\"type\":\"formix/encryption-key\",\"v\":1}");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> NodeKeys.load(dir));
        assertTrue(e.getMessage().startsWith("malformed key file " + enc), e.getMessage());
        Files.delete(dir.resolve("identity.key"));
        assertTrue(assertThrows(java.io.IOException.class, () -> NodeKeys.load(dir))
                .getMessage()
                .startsWith("no identity key"));
    }
}
