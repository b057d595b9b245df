/**
 * The data a light node owns: CSV files, read-only SQLite databases, commands and manual answers,
 * registered by the node's owner in its {@code node.db}. Only a {@link io.formix.data.Descriptor}
 * (dataset name, column names and types) ever describes them to anyone else.
 */
package io.formix.data;
