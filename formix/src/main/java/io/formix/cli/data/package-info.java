/** {@code formix data ...}: the data sources a light node's owner registers, lists, removes and queries locally. */
package io.formix.cli.data;
