package io.formix.transport.seal;

import java.io.IOException;

/**
 * A key directory or key file is not safe to use: a symbolic link, not a regular file, or
 * accessible by group or others. The message names the path and what to do.
 */
public class UnsafeKeyFileException extends IOException {
    public UnsafeKeyFileException(String message) {
        super(message);
    }
}
