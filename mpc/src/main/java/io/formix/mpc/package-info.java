/**
 * Secret sharing over the rings Z/2^32 and Z/2^64 and the arithmetic of secure aggregation. Pure
 * computation, no I/O.
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
 * <p><b>The rings.</b> A scheme is over Z/2^32 ({@code int}s: ids {@code "additive-<n>"},
 * {@code "replicated-2of3"}) or Z/2^64 ({@code long}s: the same ids followed by {@code "-z64"}), as
 * {@link io.formix.mpc.SharingScheme#ringBits()} says; shares and partial sums carry their ring
 * ({@link io.formix.mpc.VectorShare#ringBits()}, {@link io.formix.mpc.PartialSum#ringBits()}), the share
 * encoding says it in its header, and a share or sum of the other ring is refused where it is added.
 * Over Z/2^64: {@code SharingScheme.share(long[])}, {@code shareCompressed(long[])},
 * {@code reconstructLongs}, {@code revealLongs}; {@code ShareAccumulator.add(String, VectorShare)} and
 * {@code partialSum()} as for Z/2^32; {@code PartialSum.sumLongs(int)} and its {@code long[][]}
 * constructor; {@code ShareCodec.encode}/{@code decodeShare(bytes, maxLength, 64)} for shares and
 * {@code ShareCodec.encodeVector(long[])}/{@code decodeLongVector} for sums. The {@code int} methods of a
 * Z/2^64 scheme (and the {@code long} methods of a Z/2^32 one) throw {@link IllegalStateException}
 * naming the ring. {@link io.formix.mpc.VectorSharer} and {@link io.formix.mpc.FixedPoint} are Z/2^32
 * only.
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
