/**
 * Queries, not code: the small JSON query a proposal carries ({@code dataset}, AND-ed {@code where}
 * terms, one aggregate), parsed and checked against a source's descriptor, evaluated by Formix itself
 * deterministically within row and time bounds with exact decimals, and turned into the typed
 * answer a light node shares, a vector of {@code long}s in the ring Z/2^64; the {@link
 * io.formix.query.WrapGuard} bounds the total so it cannot wrap, and the {@link
 * io.formix.query.Decoder} turns a revealed total back into a typed value.
 */
package io.formix.query;
