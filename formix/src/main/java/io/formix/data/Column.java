package io.formix.data;

/** A named, typed column of a tabular data source. */
public record Column(String name, ColumnType type) {}
