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

/**
 * Rate of sealing+signing and of verifying+opening one 64-byte message with transport-seal's
 * {@link Sealer} and {@link Opener}, each beside the bare BouncyCastle primitives it is made of,
 * measured alternately in the same run: HPKE base-mode seal (DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM) plus Ed25519 sign; Ed25519 verify plus HPKE open. The bare side uses
 * the same message, associated data and info lengths as a sealed envelope.
 *
 * <pre>scripts/bench-seal.sh [--quick]</pre>
 *
 * Target: each rate at least 80 % of its bare primitives. Exit code 0 if both are met, 1 otherwise.
 */
public final class SealBenchmark {

    private static final int MESSAGE_BYTES = 64;
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
        System.exit(ok ? 0 : 1);
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

    /** BouncyCastle alone: what any sealed-and-signed message costs at least. */
    static final class Bare {
        private final HPKE hpke =
                new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
        private final AsymmetricCipherKeyPair recipient;
        private final Ed25519PrivateKeyParameters signing;
        private final Ed25519PublicKeyParameters verifying;
        private final byte[] aad;
        private final byte[] info = ("formix/2 msg" + "0123456789abcdef").getBytes(StandardCharsets.US_ASCII);
        private final byte[] label = "formix/2 sig".getBytes(StandardCharsets.US_ASCII);

        Bare(int aadBytes, int messageBytes) {
            SecureRandom rnd = new SecureRandom();
            X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(rnd);
            recipient = new AsymmetricCipherKeyPair(sk.generatePublicKey(), sk);
            signing = new Ed25519PrivateKeyParameters(rnd);
            verifying = signing.generatePublicKey();
            aad = new byte[aadBytes];
            rnd.nextBytes(aad);
        }

        /** {enc, ct, sig}. */
        byte[][] sealAndSign(byte[] message) {
            try {
                byte[][] ctEnc = hpke.seal(recipient.getPublic(), info, aad, message, null, null, null);
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
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, verifying);
            v.update(label, 0, label.length);
            v.update(aad, 0, aad.length);
            v.update(sealed[0], 0, sealed[0].length);
            v.update(sealed[1], 0, sealed[1].length);
            if (!v.verifySignature(sealed[2])) {
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
