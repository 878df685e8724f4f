package org.portcullis.storage;

/**
 * The store cannot be opened, read or written. On the request path this ends in a refusal, never in a pass
 * (SECURITY-RULES 10): an unreadable session is no session.
 */
public final class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
