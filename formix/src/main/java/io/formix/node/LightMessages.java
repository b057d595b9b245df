package io.formix.node;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.VectorShare;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.state.LightStore.Entry;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;

/** A light node's answer without a query (a draw within the schema, shared), and the messages it sends: shares or declines. */
final class LightMessages {

    private LightMessages() {}

    /** A uniform integer of 0..100 within the schema's bounds, or null if none fits. */
    static Integer draw(ResponseSchema schema, java.security.SecureRandom random) {
        long lo = schema.lowestInteger(LightCore.ANSWER_MIN);
        long hi = schema.highestInteger(LightCore.ANSWER_MAX);
        if (lo > hi) {
            return null;
        }
        int value = (int) (lo + random.nextInt((int) (hi - lo + 1)));
        if (!schema.accepts(value)) {
            throw new IllegalStateException("a drawn answer fell outside the schema");
        }
        return value;
    }

    /** Shares {@code value} with {@code scheme} (mpc draws the randomness); element i goes to heavy node i. */
    static List<byte[]> encode(SharingScheme scheme, int value) {
        List<byte[]> out = new ArrayList<>();
        for (VectorShare s : scheme.share(new int[] {value})) {
            out.add(ShareCodec.encode(s));
        }
        return out;
    }

    /**
     * The share messages of an answered computation, share i to heavy node i: a computation with a
     * query sends the binary form (its vector shares can be megabytes: no base64), one without the
     * JSON form every version reads.
     */
    static Effect.SendAll shares(PartyId uid, Entry en) {
        return shares(uid, en, en.encodedShares());
    }

    /** {@link #shares(PartyId, Entry)} with the shares just stored for {@code en} (not read back). */
    static Effect.SendAll shares(PartyId uid, Entry en, List<byte[]> encodedShares) {
        boolean binary = en.asked() != null;
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < en.heavy().size(); i++) {
            Bodies.Share share = new Bodies.Share(encodedShares.get(i));
            out.add(Envelope.of(
                    MessageType.SHARE,
                    uid,
                    en.heavy().get(i),
                    en.id(),
                    binary ? share.toBinaryJson() : share.toJson()));
        }
        return new Effect.SendAll(en.id(), out, true);
    }

    /** The decline messages of a refused computation, one to each heavy node. */
    static Effect.SendAll declines(PartyId uid, Entry en, String reason) {
        List<Envelope> out = new ArrayList<>();
        for (PartyId h : en.heavy()) {
            out.add(Envelope.of(MessageType.DECLINE, uid, h, en.id(), new Bodies.Decline(reason).toJson()));
        }
        return new Effect.SendAll(en.id(), out, false);
    }
}
