/** {@code formix comp ...}: one picocli subcommand per file, each calling one {@code ComputationService} method. */
package io.formix.cli.comp;
