/** Runnable benchmarks of every Formix layer; each prints its figure beside a raw floor from the same run. */
package io.formix.bench;
