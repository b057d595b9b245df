/** Benchmarks of the mpc module (sharing, seed expansion, accumulation, encodings), each beside its raw floor. */
package io.formix.bench.mpc;
