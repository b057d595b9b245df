/** Benchmark of {@code formix-proxy}: application → proxy → files → proxy → application, beside the file transport alone and a bare socket. */
package io.formix.bench.proxy;
