/**
 * The {@code formix} command line: {@link io.formix.cli.Main} (global options, errors, exit codes),
 * the shared output helpers, and the commands without a group; each command calls one method of
 * {@code io.formix.service} and prints.
 */
package io.formix.cli;
