package io.formix.query;

/**
 * One node's answer to a query: the {@code cells} it would share (elements of Z/2^64, two's
 * complement), and what only its owner sees about how they were computed: rows read, rows matching
 * the {@code where} terms, values skipped as missing, values clamped to the bounds.
 */
public record Answer(long[] cells, long rows, long matched, long missing, long clamped) {}
