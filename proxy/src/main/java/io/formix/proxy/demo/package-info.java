/**
 * A tiny TCP MPC engine for {@code scripts/proxy-demo.sh}: parties that compute a sum with
 * additive secret shares mod 2^32, speaking Sequre's port rule and framing so they run unchanged
 * behind {@code formix-proxy}.
 */
package io.formix.proxy.demo;
