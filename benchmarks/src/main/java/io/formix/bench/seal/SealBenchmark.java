package io.formix.bench.seal;

import io.formix.bench.Measure;
import io.formix.bench.Measure.Comparison;
import io.formix.transport.PartyId;
import io.formix.transport.seal.KeyDirectory;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Opener;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Sealer;
import io.formix.transport.seal.VerifiedEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Rate of sealing+signing and of verifying+opening one 64-byte message with transport-seal's
 * {@link Sealer} and {@link Opener}, each beside the bare BouncyCastle primitives it is made of,
 * measured alternately in the same run: HPKE base-mode seal (DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM) plus Ed25519 sign; Ed25519 verify plus HPKE open. The bare side uses
 * the same message, associated data and info lengths as a sealed envelope.
 *
 * <p>Then the same for one 8 MiB message, which the sealer sends as a bulk envelope (version 2):
 * its floor is a bare HPKE seal with ChaCha20-Poly1305 plus an Ed25519ph signature (JDK SHA-512,
 * BouncyCastle Ed25519ph), and back. For comparison, the version 1 primitives on the same 8 MiB are
 * timed too (informational, no target).
 *
 * <pre>scripts/bench-seal.sh [--quick]</pre>
 *
 * Target: each rate at least 80 % of its bare primitives. Exit code 0 if both are met, 1 otherwise.
 */
public final class SealBenchmark {

    private static final int MESSAGE_BYTES = 64;
    private static final int BULK_BYTES = 8 << 20;
    private static final double TARGET = 0.80;

    private SealBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int warmups = quick ? 3 : 8;
        int repetitions = quick ? 5 : 11;
        int batch = quick ? 100 : 200;
        System.out.printf(
                "transport-seal benchmark, %d-byte message (%s: %d warm-ups, median of %d batches of %d; %s %s, %d CPUs)%n",
                MESSAGE_BYTES,
                quick ? "quick" : "full",
                warmups,
                repetitions,
                batch,
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        Instant now = Instant.now();
        Clock clock = Clock.systemUTC();
        NetworkId net = NetworkId.random();
        PartyId a = PartyId.of("light-1");
        PartyId b = PartyId.of("heavy-1");
        NodeKeys ka = NodeKeys.inMemory(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        NodeKeys kb = NodeKeys.inMemory(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        KeyDirectory dir = KeyDirectory.of(
                List.of(NodeDescriptor.of(net, a, Role.LIGHT, 0, ka), NodeDescriptor.of(net, b, Role.HEAVY, 0, kb)));
        Sealer sealer = new Sealer(net, a, ka.identity(), dir, clock, 0);
        Opener opener = new Opener(net, b, kb, dir, clock, Duration.ZERO, 1 << 20);
        byte[] message = new byte[MESSAGE_BYTES];
        new SecureRandom().nextBytes(message);
        byte[] envelope = sealer.seal(b, 1, message);

        // The bare primitives, on the same lengths: aad = a header for these two ids, info = label || net id.
        Bare bare = new Bare(58 + a.value().length() + b.value().length(), MESSAGE_BYTES);
        byte[][] bareSealed = bare.sealAndSign(message);

        Measure measure = new Measure(warmups, repetitions);
        Comparison seal = measure.compare(batch, () -> bare.sealAndSign(message)[2][0], () -> {
            try {
                return sealer.seal(b, 1, message)[100];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Comparison open = measure.compare(batch, () -> bare.verifyAndOpen(bareSealed)[0], () -> {
            try {
                VerifiedEnvelope v = opener.verify(envelope, a);
                return opener.open(v)[0];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf(
                "envelope: %d bytes for a %d-byte message (overhead %d)%n",
                envelope.length, MESSAGE_BYTES, envelope.length - MESSAGE_BYTES);
        boolean ok = report("seal+sign  ", "bare HPKE seal + Ed25519 sign  ", seal);
        ok &= report("verify+open", "bare Ed25519 verify + HPKE open", open);
        ok &= bulk(quick, net, a, b, ka, kb, dir, clock);
        System.exit(ok ? 0 : 1);
    }

    /** The 8 MiB rows: a bulk envelope beside its bare primitives, and the version 1 primitives. */
    private static boolean bulk(
            boolean quick, NetworkId net, PartyId a, PartyId b, NodeKeys ka, NodeKeys kb, KeyDirectory dir, Clock clock)
            throws Exception {
        Sealer sealer = new Sealer(net, a, ka.identity(), dir, clock, 0);
        Opener opener = new Opener(net, b, kb, dir, clock, Duration.ZERO, 2 * BULK_BYTES);
        byte[] message = new byte[BULK_BYTES];
        new SecureRandom().nextBytes(message);
        byte[] envelope = sealer.seal(b, 1, message);
        int aadBytes = 58 + a.value().length() + b.value().length();
        Bare bare = new Bare(aadBytes, BULK_BYTES, true);
        byte[][] bareSealed = bare.sealAndSign(message);
        Bare v1 = new Bare(aadBytes, BULK_BYTES, false);
        byte[][] v1Sealed = v1.sealAndSign(message);
        Measure measure = new Measure(quick ? 2 : 4, quick ? 3 : 9);
        Comparison seal = measure.compare(1, () -> bare.sealAndSign(message)[2][0], () -> {
            try {
                return sealer.seal(b, 1, message)[100];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Comparison open = measure.compare(1, () -> bare.verifyAndOpen(bareSealed)[0], () -> {
            try {
                VerifiedEnvelope v = opener.verify(envelope, a);
                return opener.open(v)[0];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Comparison v1Seal = measure.compare(1, () -> v1.sealAndSign(message)[2][0], () -> v1.seal(message)[1][0]);
        Comparison v1Open = measure.compare(1, () -> v1.verifyAndOpen(v1Sealed)[0], () -> v1.verify(v1Sealed));
        System.out.printf(
                "%nbulk envelope (version %d): %d bytes for a %d-byte message%n",
                envelope[4], envelope.length, BULK_BYTES);
        boolean ok = report("seal+sign   8 MiB", "bare HPKE ChaCha20 seal + Ed25519ph sign  ", seal);
        ok &= report("verify+open 8 MiB", "bare Ed25519ph verify + HPKE ChaCha20 open", open);
        System.out.printf(
                "version 1 primitives on 8 MiB (no target): HPKE AES-GCM seal %.1f ms + Ed25519 sign %.1f ms;"
                        + " Ed25519 verify %.1f ms + HPKE AES-GCM open %.1f ms%n",
                v1Seal.seconds() * 1e3,
                (v1Seal.floorSeconds() - v1Seal.seconds()) * 1e3,
                v1Open.seconds() * 1e3,
                (v1Open.floorSeconds() - v1Open.seconds()) * 1e3);
        return ok;
    }

    private static boolean report(String what, String floorName, Comparison c) {
        System.out.printf(
                "%s %8.0f msg/s (%6.1f us)   %s %8.0f msg/s (%6.1f us)   ratio %5.1f %%  %s%n",
                what,
                1 / c.seconds(),
                c.seconds() * 1e6,
                floorName,
                1 / c.floorSeconds(),
                c.floorSeconds() * 1e6,
                c.floorOverOp() * 100,
                c.floorOverOp() >= TARGET ? "meets target >= 80 %" : "MISSES target >= 80 %");
        return c.floorOverOp() >= TARGET;
    }

    /**
     * BouncyCastle alone: what any sealed-and-signed message costs at least. With {@code bulk}, the
     * version 2 primitives: ChaCha20-Poly1305 and Ed25519ph over a JDK SHA-512.
     */
    static final class Bare {
        private final boolean bulk;
        private final HPKE hpke;
        private final AsymmetricCipherKeyPair recipient;
        private final Ed25519PrivateKeyParameters signing;
        private final Ed25519PublicKeyParameters verifying;
        private final byte[] aad;
        private final byte[] info;
        private final byte[] label = "formix/2 sig".getBytes(StandardCharsets.US_ASCII);

        Bare(int aadBytes, int messageBytes) {
            this(aadBytes, messageBytes, false);
        }

        Bare(int aadBytes, int messageBytes, boolean bulk) {
            this.bulk = bulk;
            info = ((bulk ? "formix/2 bulk" : "formix/2 msg") + "0123456789abcdef").getBytes(StandardCharsets.US_ASCII);
            hpke = new HPKE(
                    HPKE.mode_base,
                    HPKE.kem_X25519_SHA256,
                    HPKE.kdf_HKDF_SHA256,
                    bulk ? HPKE.aead_CHACHA20_POLY1305 : HPKE.aead_AES_GCM128);
            SecureRandom rnd = new SecureRandom();
            X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(rnd);
            recipient = new AsymmetricCipherKeyPair(sk.generatePublicKey(), sk);
            signing = new Ed25519PrivateKeyParameters(rnd);
            verifying = signing.generatePublicKey();
            aad = new byte[aadBytes];
            rnd.nextBytes(aad);
        }

        /** {ct, enc}, unsigned. */
        byte[][] seal(byte[] message) {
            try {
                return hpke.seal(recipient.getPublic(), info, aad, message, null, null, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Verifies the signature alone; 1 if it holds. */
        int verify(byte[][] sealed) {
            if (bulk) {
                return verifying.verify(
                                Ed25519.Algorithm.Ed25519ph,
                                new byte[0],
                                prehash(sealed[0], sealed[1]),
                                0,
                                Ed25519.PREHASH_SIZE,
                                sealed[2],
                                0)
                        ? 1
                        : 0;
            }
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, verifying);
            v.update(label, 0, label.length);
            v.update(aad, 0, aad.length);
            v.update(sealed[0], 0, sealed[0].length);
            v.update(sealed[1], 0, sealed[1].length);
            return v.verifySignature(sealed[2]) ? 1 : 0;
        }

        private byte[] prehash(byte[] enc, byte[] ct) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-512");
                md.update(label);
                md.update(aad);
                md.update(enc);
                md.update(ct);
                return md.digest();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** {enc, ct, sig}. */
        byte[][] sealAndSign(byte[] message) {
            try {
                byte[][] ctEnc = hpke.seal(recipient.getPublic(), info, aad, message, null, null, null);
                if (bulk) {
                    byte[] sig = new byte[64];
                    signing.sign(
                            Ed25519.Algorithm.Ed25519ph,
                            new byte[0],
                            prehash(ctEnc[1], ctEnc[0]),
                            0,
                            Ed25519.PREHASH_SIZE,
                            sig,
                            0);
                    return new byte[][] {ctEnc[1], ctEnc[0], sig};
                }
                Ed25519Signer s = new Ed25519Signer();
                s.init(true, signing);
                s.update(label, 0, label.length);
                s.update(aad, 0, aad.length);
                s.update(ctEnc[1], 0, ctEnc[1].length);
                s.update(ctEnc[0], 0, ctEnc[0].length);
                return new byte[][] {ctEnc[1], ctEnc[0], s.generateSignature()};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] verifyAndOpen(byte[][] sealed) {
            if (verify(sealed) != 1) {
                throw new IllegalStateException("bare signature does not verify");
            }
            try {
                return hpke.open(sealed[0], recipient, info, aad, sealed[1], null, null, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
