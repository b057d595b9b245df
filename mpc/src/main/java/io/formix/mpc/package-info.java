/**
 * Secret sharing over Z/2^32 and the arithmetic of secure aggregation. Pure computation, no I/O.
 *
 * <p><b>The API</b> is the public types of this package, and only they:
 * {@link io.formix.mpc.SharingSchemes} and {@link io.formix.mpc.SharingScheme} (additive n-of-n,
 * replicated 2-of-3: share, reconstruct, reveal), {@link io.formix.mpc.VectorSharer} (sharing into
 * reusable arrays), the share types {@link io.formix.mpc.VectorShare}, {@link io.formix.mpc.ShareComponent},
 * {@link io.formix.mpc.ExplicitComponent} and {@link io.formix.mpc.SeededComponent},
 * {@link io.formix.mpc.ShareAccumulator} and {@link io.formix.mpc.PartialSum} (a party's running sum over
 * an exact contributor set), {@link io.formix.mpc.ShareCodec} (the binary encoding),
 * {@link io.formix.mpc.FixedPoint} (doubles that provably cannot wrap when summed) and one exception
 * family, {@link io.formix.mpc.MpcException}.
 *
 * <p><b>Internal</b> (package-private, free to change): the seed expansion (AES-256-CTR key streams),
 * the chunk kernels (scalar and SIMD) and their selection, the vector sharer's implementation and the
 * JSON-friendly form. Their behaviour is reached, and pinned by tests, through the API: a
 * {@code SeededComponent}'s values, a {@code VectorSharer}'s output and its {@code toString} (which names
 * the kernel in use).
 *
 * <p>Contributor sets are named by SHA-256 over {@code "formix-mpc/contributor-set/v1\0"} followed, for
 * each id in {@code String} order, by its UTF-8 length as a 4-byte big-endian integer and its UTF-8
 * bytes. See {@code docs/mpc.md}.
 */
package io.formix.mpc;
