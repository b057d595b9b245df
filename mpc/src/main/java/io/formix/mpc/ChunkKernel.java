package io.formix.mpc;

/**
 * The arithmetic of one chunk (at most {@link KeyStream#CHUNK_INTS} elements) of sharing or seed
 * expansion: it draws the chunk's key stream from {@link KeyStream}s and combines it with the caller's
 * arrays. Two implementations compute the same values: {@link ScalarChunkKernel}, plain loops the JIT
 * vectorises where it can, and {@code SimdChunkKernel}, explicit vectors from {@code jdk.incubator.vector}
 * that read the key stream's bytes as {@code int}s in place (no conversion copy, no scratch copy).
 * {@link ChunkKernels} chooses one.
 *
 * <p>Element order, not speed, is the contract: for every {@code i < n}, whatever the kernel, the same
 * values land in the same places. Not thread-safe: a kernel may own scratch buffers; use one per sharer
 * or stream.
 */
interface ChunkKernel {

    /**
     * Advances every stream by {@code n} elements and sets
     * {@code last[off+i] = secret[off+i] - stream_0[i] - … - stream_{k-1}[i]} (mod 2^32), with
     * {@code k = streams.length >= 1}; when {@code randomComponents} is not null, also
     * {@code randomComponents[c][off+i] = stream_c[i]} for every {@code c < k}.
     *
     * <p>{@code last} may be {@code secret} (in place); the random components must be distinct from
     * both and from each other. The caller has checked every bound.
     */
    void share(KeyStream[] streams, int[] secret, int off, int n, int[][] randomComponents, int[] last);

    /**
     * As {@link #share} for elements {@code off + i}, {@code i < n <= KeyStream.CHUNK_INTS}, with every
     * output in the binary encodings' element layout: element {@code off + i} of an output is the
     * little-endian {@code int32} at bytes {@code [byteOffset + 4(off + i), byteOffset + 4(off + i) + 4)}.
     * When {@code randomComponents} is not null, each stream is written straight into its component by
     * the cipher (no intermediate buffer) and the last component computed from those bytes; then
     * {@code last} is the same array as {@code randomComponents[k]}. The caller has checked every bound;
     * the outputs are distinct arrays.
     */
    void shareBytes(
            KeyStream[] streams, int[] secret, int off, int n, byte[][] randomComponents, byte[] last, int byteOffset);

    /**
     * Z/2^64: advances every stream by {@code n <= KeyStream.CHUNK_LONGS} elements of 8 bytes (as
     * {@link KeyStream#nextLongs}) and sets {@code last[off+i] = secret[off+i] - stream_0[i] - … -
     * stream_{k-1}[i]} (mod 2^64), {@code k = streams.length >= 1}. {@code last} may be {@code secret} (in
     * place). The caller has checked every bound.
     *
     * <p>The default is plain loops, correct for any kernel; both kernels override it with faster ones.
     */
    default void shareLongs(KeyStream[] streams, long[] secret, int off, int n, long[] last) {
        for (int c = 0; c < streams.length; c++) {
            long[] k = streams[c].nextLongs(n);
            long[] from = c == 0 ? secret : last;
            for (int i = 0; i < n; i++) {
                last[off + i] = from[off + i] - k[i];
            }
        }
    }

    /**
     * Z/2^64: advances {@code stream} by {@code n <= KeyStream.CHUNK_LONGS} elements and adds them to
     * {@code dst[off .. off+n)} (mod 2^64). The default is a plain loop; both kernels override it.
     */
    default void accumulateLongs(KeyStream stream, long[] dst, int off, int n) {
        long[] k = stream.nextLongs(n);
        for (int i = 0; i < n; i++) {
            dst[off + i] += k[i];
        }
    }

    /** Advances {@code stream} by {@code n} elements and adds them to ({@code subtract}: subtracts them from) {@code dst[off .. off+n)}. */
    void accumulate(KeyStream stream, int[] dst, int off, int n, boolean subtract);

    /**
     * The chunk size, in elements ({@code 1..KeyStream.CHUNK_INTS}), at which this kernel shares fastest:
     * for full-size sharing into {@code int[]} components ({@code fullSizeInts}, bound by memory), or for
     * everything else (bound by AES). Any size gives the same result.
     */
    int preferredChunk(boolean fullSizeInts);

    /** Zeroes any buffer of this kernel's that holds values derived from a secret or a key stream. */
    void wipe();

    /** What this kernel is, for {@code toString}s and benchmark reports, e.g. {@code "scalar"}. */
    String describe();
}
