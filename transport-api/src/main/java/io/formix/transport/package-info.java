/** The {@link io.formix.transport.Transport} contract, party ids, frames and an in-memory transport. */
package io.formix.transport;
