/** The network's members across machines: signed documents in the data folder, verified into {@code network.db}. */
package io.formix.registry;
