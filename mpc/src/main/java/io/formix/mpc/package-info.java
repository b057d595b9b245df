/** Secret sharing over Z/2^32 and the arithmetic of secure aggregation. Pure computation, no I/O. */
package io.formix.mpc;
