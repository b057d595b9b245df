/**
 * {@code formix-proxy}: bridges the TCP connections of an MPC engine (Sequre, MP-SPDZ, any TCP
 * program) to Formix file channels, compatible with sbproxy's layout and port rule.
 *
 * <p>Public: {@link io.formix.proxy.Proxy} (a running bridge), {@link io.formix.proxy.ProxyConfig},
 * {@link io.formix.proxy.PortPlan} (the port formula), {@link io.formix.proxy.Framing} and the CLI
 * {@link io.formix.proxy.FormixProxyCommand}. Everything else is package-private.
 */
package io.formix.proxy;
