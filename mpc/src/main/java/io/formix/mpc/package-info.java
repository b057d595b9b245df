/**
 * Secret sharing over Z/2^32 and the arithmetic of secure aggregation. Pure computation, no I/O.
 *
 * <p>Entry points: {@link io.formix.mpc.SharingSchemes} (additive n-of-n, replicated 2-of-3),
 * {@link io.formix.mpc.VectorSharer} (sharing into reusable arrays),
 * {@link io.formix.mpc.ShareAccumulator} (a party's running sum over an exact contributor set),
 * {@link io.formix.mpc.FixedPoint} (doubles that provably cannot wrap when summed),
 * {@link io.formix.mpc.ShareCodec} (binary) and {@link io.formix.mpc.ShareJson} (JSON-friendly).
 * Contributor sets are named by SHA-256 over {@code "formix-mpc/contributor-set/v1\0"} followed, for
 * each id in {@code String} order, by its UTF-8 length as a 4-byte big-endian integer and its UTF-8
 * bytes. See {@code docs/mpc.md}.
 */
package io.formix.mpc;
