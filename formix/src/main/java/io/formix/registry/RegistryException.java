package io.formix.registry;

/** A network document that cannot be trusted or written; the message is one line saying why and what to do. */
public final class RegistryException extends Exception {
    public RegistryException(String message) {
        super(message);
    }
}
