/** The Formix end-to-end benchmark: network up and propose-to-reveal for N light nodes, beside raw floors. */
package io.formix.bench.formix;
