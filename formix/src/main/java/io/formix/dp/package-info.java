/** Optional differential privacy: an exact discrete Laplace sampler, the sensitivity of each query type, and the noise a heavy node adds. */
package io.formix.dp;
