package io.formix.data;

/** A data source cannot be read, or its data is not what it should be; the message is one line with the reason. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
