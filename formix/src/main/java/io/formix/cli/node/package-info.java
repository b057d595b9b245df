/** {@code formix node ...}: one picocli subcommand per file, each calling one {@code NodeService} method. */
package io.formix.cli.node;
