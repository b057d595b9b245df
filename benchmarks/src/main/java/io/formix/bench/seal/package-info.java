/** Benchmarks of transport-seal (seal+sign, verify+open), each beside the bare BouncyCastle primitives. */
package io.formix.bench.seal;
