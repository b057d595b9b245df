/** Multi-host benchmarks over a real sync engine (scripts/multihost/, docs/multihost.md). */
package io.formix.bench.multihost;
