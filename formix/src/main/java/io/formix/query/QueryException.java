package io.formix.query;

/** A query is invalid, or does not fit the source it names; the message is one line with the reason. */
public class QueryException extends RuntimeException {
    public QueryException(String message) {
        super(message);
    }
}
