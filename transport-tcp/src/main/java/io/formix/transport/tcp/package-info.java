/**
 * The TCP backend of {@link io.formix.transport.Transport}: the frames of the file channel
 * (8-byte little-endian length, then the payload) over sockets, connected either in the sbproxy
 * pairwise port layout ({@link io.formix.transport.tcp.TcpTransport#openPairwise}) or through a
 * directory of listening addresses ({@link io.formix.transport.tcp.TcpTransport#openDirectory}).
 */
package io.formix.transport.tcp;
