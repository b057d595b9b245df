/**
 * End-to-end sealed and signed messages over any {@link io.formix.transport.Transport}, so that
 * whoever carries the bytes (a sync operator, a shared disk) can neither read nor forge them.
 *
 * <p>Entry points: {@link io.formix.transport.seal.SealingTransport} (the decorator),
 * {@link io.formix.transport.seal.NodeKeys} (a node's private keys on disk), and the signed
 * documents that say whose keys to trust: {@link io.formix.transport.seal.NetworkDescriptor},
 * {@link io.formix.transport.seal.Roster} and {@link io.formix.transport.seal.NodeDescriptor}.
 * Cryptography: HPKE (RFC 9180, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM) and Ed25519
 * (RFC 8032), both from BouncyCastle. See {@code docs/security.md} for the envelope layout and the
 * receiver's checks.
 */
package io.formix.transport.seal;
