/** The {@code formix} command line: picocli commands, output formatting and node process control. */
package io.formix.cli;
