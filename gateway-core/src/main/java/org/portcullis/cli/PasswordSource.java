package org.portcullis.cli;

/**
 * Where a CLI command gets a new password from. Passwords never come from arguments (they would show in
 * {@code ps}, shell history and audit logs of the host); see {@link TerminalPasswordSource}.
 */
interface PasswordSource {
    /** A password could not be read (mismatch, empty, too short or too long, end of input). */
    final class PasswordInputException extends Exception {
        PasswordInputException(String message) {
            super(message);
        }
    }

    /**
     * A new password. The caller owns the array and wipes it after use.
     *
     * @param purpose what the password is for, shown in the prompt ("password for alice")
     */
    char[] readNewPassword(String purpose) throws PasswordInputException;
}
