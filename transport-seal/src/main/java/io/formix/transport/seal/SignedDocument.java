package io.formix.transport.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.seal.DocumentRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The signed-document format: {@code {"payload":"<b64url>","signature":"<b64url>","key":"<b64url>"}}
 * where {@code payload} is the exact UTF-8 JSON bytes that were signed (never re-serialised),
 * {@code key} the signer's raw Ed25519 public key and {@code signature} its Ed25519 signature of
 * {@code "formix/2 doc" || payload}. The label keeps a document signature from ever passing for
 * a message signature. Who must have signed is the caller's check.
 */
final class SignedDocument {

    /** Largest document accepted; checked before any parsing. */
    static final int MAX_BYTES = 64 * 1024;

    private static final byte[] LABEL = "formix/2 doc".getBytes(StandardCharsets.US_ASCII);

    /** A document whose signature verified with {@code signer}, and its parsed payload. */
    record Verified(byte[] signer, JsonNode payload) {}

    private SignedDocument() {}

    static byte[] sign(ObjectNode payload, IdentityKey key) {
        byte[] bytes = Json.bytes(payload);
        ObjectNode doc = Json.object();
        doc.put("payload", Bytes.b64(bytes))
                .put("signature", Bytes.b64(key.sign(LABEL, bytes)))
                .put("key", Bytes.b64(key.publicKey()));
        return Json.bytes(doc);
    }

    /**
     * Checks the size, the format and the signature (with the key the document names), then parses
     * the payload and checks its {@code type} and version.
     */
    static Verified verify(byte[] document, String what, String type) throws DocumentRejectedException {
        if (document.length > MAX_BYTES) {
            throw new DocumentRejectedException(
                    Reason.TOO_LARGE, what + " of " + document.length + " bytes exceeds " + MAX_BYTES + " bytes");
        }
        byte[] payload;
        byte[] key;
        byte[] signature;
        try {
            JsonNode doc = Json.parseObject(document);
            if (doc.size() != 3) {
                throw new IllegalArgumentException("expected exactly payload, signature and key");
            }
            payload = Json.b64(doc, "payload", -1);
            signature = Json.b64(doc, "signature", IdentityKey.SIGNATURE_BYTES);
            key = Json.b64(doc, "key", IdentityKey.KEY_BYTES);
        } catch (IllegalArgumentException e) {
            throw new DocumentRejectedException(Reason.MALFORMED, what + ": " + e.getMessage());
        }
        Ed25519PublicKeyParameters pk;
        try {
            pk = IdentityKey.publicParameters(key);
        } catch (IllegalArgumentException e) {
            throw new DocumentRejectedException(Reason.MALFORMED, what + ": key is not an Ed25519 public key");
        }
        if (!IdentityKey.verify(pk, signature, 0, IdentityKey.Slice.of(LABEL), IdentityKey.Slice.of(payload))) {
            throw new DocumentRejectedException(
                    Reason.BAD_SIGNATURE, what + " signature does not verify with its key " + Fingerprint.of(key));
        }
        try {
            JsonNode p = Json.parseObject(payload);
            Json.expectType(p, type);
            return new Verified(key, p);
        } catch (IllegalArgumentException e) {
            throw new DocumentRejectedException(Reason.MALFORMED, what + ": " + e.getMessage());
        }
    }
}
