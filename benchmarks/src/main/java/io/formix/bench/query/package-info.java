/** Benchmark of evaluating queries over a light node's CSV source, beside a bare line-split floor. */
package io.formix.bench.query;
