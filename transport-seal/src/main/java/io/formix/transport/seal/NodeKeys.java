package io.formix.transport.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;

/**
 * The private keys of one node: an Ed25519 identity key and one or more X25519 encryption keys,
 * each with a key id, a not-before and an expiry instant.
 *
 * <h2>Storage</h2>
 * Keys live in a directory the caller names (Formix uses {@code $FORMIX_HOME/nodes/<uid>/keys/},
 * never under the synced folder): {@code identity.key} and one {@code enc-<kid>.key} per
 * encryption key, small JSON files. The directory is created with mode 0700; each file is created
 * with mode 0600 from its first byte, written whole to a temp file and renamed into place, and
 * never overwritten except to shorten an encryption key's expiry. Loading refuses a symbolic link for the directory or any key file, anything
 * but a regular file, and a directory or file that group or others may access
 * ({@link UnsafeKeyFileException}, naming the path and the {@code chmod} that fixes it).
 *
 * <h2>Rotation</h2>
 * {@link #addEncryptionKey} adds a key; senders use a recipient's newest key whose not-before has
 * passed; this node keeps opening messages sealed to an older key until its expiry plus the
 * receiver's grace. {@link #expireEncryptionKey} shortens an older key's expiry (its file is
 * rewritten whole, the private key unchanged), so it stops opening messages at a known time; a
 * process that holds these keys picks up what another process changed with {@link #reload}. Old
 * key files are kept; deleting them is the operator's decision.
 *
 * <p>Thread-safe: keys may be added while a {@link SealingTransport} uses this object.
 */
public final class NodeKeys {

    static final String IDENTITY_FILE = "identity.key";
    private static final Pattern ENC_FILE = Pattern.compile("enc-([0-9a-f]{8})\\.key");
    private static final int MAX_KEYS = 64;

    /** One encryption key: its public description and the X25519 pair that opens it. */
    record Private(EncryptionKey key, AsymmetricCipherKeyPair pair) {}

    private final Path dir;
    private final IdentityKey identity;
    private volatile Map<String, Private> keys;

    private NodeKeys(Path dir, IdentityKey identity, Map<String, Private> keys) {
        this.dir = dir;
        this.identity = identity;
        this.keys = Map.copyOf(keys);
    }

    /**
     * Creates a new identity key and a first encryption key valid over {@code [notBefore, expiresAt)},
     * and stores both in {@code dir} (created with mode 0700 if absent).
     *
     * @throws FileAlreadyExistsException if {@code dir} already holds an identity key
     * @throws UnsafeKeyFileException if {@code dir} is a symbolic link or open to group or others
     */
    public static NodeKeys create(Path dir, Instant notBefore, Instant expiresAt) throws IOException {
        Objects.requireNonNull(dir, "dir");
        KeyFiles.prepareDirectory(dir);
        IdentityKey identity = IdentityKey.generate();
        ObjectNode o = Json.object();
        o.put("type", "formix/identity-key").put("v", 1).put("sk", Bytes.b64(identity.seed()));
        KeyFiles.writeNew(dir.resolve(IDENTITY_FILE), Json.bytes(o));
        NodeKeys keys = new NodeKeys(dir, identity, Map.of());
        keys.addEncryptionKey(notBefore, expiresAt);
        return keys;
    }

    /**
     * Loads the keys stored in {@code dir} by {@link #create}.
     *
     * @throws UnsafeKeyFileException if the directory or a key file is a symbolic link, not a
     *     regular file, or open to group or others
     * @throws IOException if a key file is missing or malformed (the message names it)
     */
    public static NodeKeys load(Path dir) throws IOException {
        return load(dir, null);
    }

    /**
     * {@link #load}; a key whose file holds the same private key as one of {@code known}'s is taken
     * from {@code known} without deriving its public half again (a scalar multiplication per key:
     * a host of 10,000 nodes reads every node's keys after each registry sync).
     */
    private static NodeKeys load(Path dir, NodeKeys known) throws IOException {
        Objects.requireNonNull(dir, "dir");
        KeyFiles.checkDirectory(dir);
        Path idFile = dir.resolve(IDENTITY_FILE);
        if (!Files.exists(idFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("no identity key in " + dir + " (expected " + IDENTITY_FILE + ")");
        }
        IdentityKey identity;
        try {
            JsonNode o = Json.parseObject(KeyFiles.readPrivate(idFile));
            Json.expectType(o, "formix/identity-key");
            byte[] seed = Json.b64(o, "sk", IdentityKey.KEY_BYTES);
            identity = known != null && Bytes.same(seed, known.identity.seed())
                    ? known.identity
                    : IdentityKey.fromSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed key file " + idFile + ": " + e.getMessage());
        }
        Map<String, Private> keys = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                var m = ENC_FILE.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue; // identity.key, temp files, anything else the owner keeps there
                }
                if (keys.size() >= MAX_KEYS) {
                    throw new IOException("more than " + MAX_KEYS + " encryption keys in " + dir);
                }
                Private p = readEncryptionKey(f, known == null ? Map.of() : known.keys);
                if (!p.key().kid().equals(m.group(1))) {
                    throw new IOException(
                            "key file " + f + " holds kid " + p.key().kid() + ", not the kid in its name");
                }
                keys.put(p.key().kid(), p);
            }
        }
        if (keys.isEmpty()) {
            throw new IOException("no encryption key in " + dir + " (expected enc-<kid>.key)");
        }
        return new NodeKeys(dir, identity, keys);
    }

    /**
     * Keys that are never written to disk: for tests, benchmarks and short-lived tools.
     */
    public static NodeKeys inMemory(Instant notBefore, Instant expiresAt) {
        NodeKeys keys = new NodeKeys(null, IdentityKey.generate(), Map.of());
        try {
            keys.addEncryptionKey(notBefore, expiresAt);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory keys do no I/O", e);
        }
        return keys;
    }

    /** Reads one encryption key file; a private key already in {@code known} under its kid is not derived again. */
    private static Private readEncryptionKey(Path f, Map<String, Private> known) throws IOException {
        try {
            JsonNode o = Json.parseObject(KeyFiles.readPrivate(f));
            Json.expectType(o, "formix/encryption-key");
            String kid = Json.text(o, "kid");
            byte[] sk = Json.b64(o, "sk", Hpke.KEY_BYTES);
            Private had = known.get(kid);
            AsymmetricCipherKeyPair pair =
                    had != null && Bytes.same(sk, Hpke.privateKey(had.pair())) ? had.pair() : Hpke.fromPrivate(sk);
            EncryptionKey key = new EncryptionKey(
                    kid,
                    Hpke.publicKey(pair),
                    Instant.ofEpochSecond(Json.integer(o, "nbf")),
                    Instant.ofEpochSecond(Json.integer(o, "exp")));
            return new Private(key, pair);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IOException("malformed key file " + f + ": " + e.getMessage());
        }
    }

    /**
     * Adds a fresh X25519 encryption key valid over {@code [notBefore, expiresAt)} (whole seconds)
     * and, for stored keys, writes its file before it becomes visible.
     *
     * @return the new key's public description, for this node's next descriptor
     * @throws IllegalArgumentException if {@code expiresAt} is not after {@code notBefore}
     */
    public synchronized EncryptionKey addEncryptionKey(Instant notBefore, Instant expiresAt) throws IOException {
        if (keys.size() >= MAX_KEYS) {
            throw new IOException("this node already has " + MAX_KEYS + " encryption keys; remove expired ones first");
        }
        String kid;
        do {
            kid = Bytes.hex(Bytes.random(4));
        } while (keys.containsKey(kid));
        AsymmetricCipherKeyPair pair = Hpke.generate();
        EncryptionKey key = new EncryptionKey(kid, Hpke.publicKey(pair), notBefore, expiresAt);
        if (dir != null) {
            KeyFiles.writeNew(dir.resolve("enc-" + kid + ".key"), encryptionKeyFile(key, pair));
        }
        Map<String, Private> next = new LinkedHashMap<>(keys);
        next.put(kid, new Private(key, pair));
        keys = Map.copyOf(next);
        return key;
    }

    /**
     * Shortens the expiry of encryption key {@code kid} to {@code at} (whole seconds) and, for stored
     * keys, rewrites its file before the change becomes visible. A key that already expires at or
     * before {@code at} is left as it is.
     *
     * @return the key's public description as it now is
     * @throws IllegalArgumentException if there is no key {@code kid}, or {@code at} is not after its not-before
     */
    public synchronized EncryptionKey expireEncryptionKey(String kid, Instant at) throws IOException {
        Private p = keys.get(kid);
        if (p == null) {
            throw new IllegalArgumentException("no encryption key " + kid);
        }
        EncryptionKey old = p.key();
        if (!Instant.ofEpochSecond(at.getEpochSecond()).isBefore(old.expiresAt())) {
            return old;
        }
        EncryptionKey key = new EncryptionKey(kid, old.raw(), old.notBefore(), at);
        if (dir != null) {
            KeyFiles.replace(dir.resolve("enc-" + kid + ".key"), encryptionKeyFile(key, p.pair()));
        }
        Map<String, Private> next = new LinkedHashMap<>(keys);
        next.put(kid, new Private(key, p.pair()));
        keys = Map.copyOf(next);
        return key;
    }

    /**
     * Reads the encryption key files again, so keys another process added or shortened (a rotation
     * run from the command line while this node runs) take effect here. A failure leaves the keys
     * as they were.
     *
     * @return whether any key was added or changed
     * @throws IOException as {@link #load} does, or if the directory now holds another identity key
     */
    public synchronized boolean reload() throws IOException {
        if (dir == null) {
            return false;
        }
        NodeKeys now = load(dir, this);
        if (!Bytes.same(now.identity.publicKey(), identity.publicKey())) {
            throw new IOException("the identity key in " + dir + " changed; restart the node to use it");
        }
        Map<String, Private> next = new LinkedHashMap<>(keys);
        boolean changed = false;
        for (Private p : now.keys.values()) {
            Private had = next.get(p.key().kid());
            if (had == null || !had.key().equals(p.key())) {
                next.put(p.key().kid(), p);
                changed = true;
            }
        }
        if (changed) {
            keys = Map.copyOf(next);
        }
        return changed;
    }

    private static byte[] encryptionKeyFile(EncryptionKey key, AsymmetricCipherKeyPair pair) {
        ObjectNode o = Json.object();
        o.put("type", "formix/encryption-key")
                .put("v", 1)
                .put("kid", key.kid())
                .put("sk", Bytes.b64(Hpke.privateKey(pair)))
                .put("nbf", key.notBefore().getEpochSecond())
                .put("exp", key.expiresAt().getEpochSecond());
        return Json.bytes(o);
    }

    /** The identity (signing) key. */
    public IdentityKey identity() {
        return identity;
    }

    /** The public halves of all encryption keys, oldest not-before first. */
    public List<EncryptionKey> encryptionKeys() {
        List<EncryptionKey> out = new ArrayList<>();
        for (Private p : keys.values()) {
            out.add(p.key());
        }
        out.sort(Comparator.comparing(EncryptionKey::notBefore).thenComparing(EncryptionKey::kid));
        return out;
    }

    /** The directory the keys are stored in; empty for {@link #inMemory} keys. */
    public Optional<Path> directory() {
        return Optional.ofNullable(dir);
    }

    Optional<Private> privateKey(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    @Override
    public String toString() {
        return "NodeKeys[identity=" + identity.fingerprint() + ", kids=" + keys.keySet() + "]";
    }
}
