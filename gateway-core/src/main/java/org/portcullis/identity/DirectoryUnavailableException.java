package org.portcullis.identity;

/**
 * A user directory could not be asked: unreachable, too slow, or it refused the service account. Whoever meets it
 * refuses what was asked (a sign-in, a request of a session whose user must be confirmed) rather than guessing; the
 * message names the reason for the log and never carries a password.
 */
public final class DirectoryUnavailableException extends RuntimeException {
    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
