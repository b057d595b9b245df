/**
 * For backend implementers: helpers that transports and formix-proxy share, not part of the
 * {@link io.formix.transport.Transport} contract — backoff, the checks every send performs, the
 * pairwise port rule, dialling with backoff ({@link io.formix.transport.spi.TcpDialer}) and accepting
 * one connection at a time ({@link io.formix.transport.spi.TcpAcceptor}). Applications do not need them.
 */
package io.formix.transport.spi;
