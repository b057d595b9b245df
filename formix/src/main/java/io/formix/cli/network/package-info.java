/** {@code formix network ...}: one picocli subcommand per file, each calling one {@code NetworkService} method. */
package io.formix.cli.network;
