/** Transport benchmarks: file (tmpfs, disk, durable on/off) and TCP beside bare-syscall and bare-socket floors. */
package io.formix.bench.transport;
