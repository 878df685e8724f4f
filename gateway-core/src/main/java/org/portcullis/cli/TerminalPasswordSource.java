package org.portcullis.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a new password from the terminal without echo, twice (a typo in an unseen password would lock the user out),
 * or, when standard input is not a terminal, once from standard input up to the first line end (for scripts:
 * {@code printf '%s\n' "$PW" | portcullis hash-password}).
 *
 * <p>Passwords are read into {@code char[]} and wiped when no longer needed; no {@code String} is made. Passwords
 * shorter than {@value #MIN_LENGTH} characters are refused (NIST SP 800-63B §3.1.1.2 minimum when a second factor
 * is used); longer than {@value #MAX_LENGTH} characters too, to bound hashing input.
 */
final class TerminalPasswordSource implements PasswordSource {
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 1024;

    private final Console console;
    private final InputStream stdin;

    TerminalPasswordSource(Console console, InputStream stdin) {
        this.console = console;
        this.stdin = stdin;
    }

    /** The process's terminal, or standard input when there is none. */
    static TerminalPasswordSource system() {
        return new TerminalPasswordSource(System.console(), System.in);
    }

    @Override
    public char[] readNewPassword(String purpose) throws PasswordInputException {
        return console != null ? fromConsole(purpose) : checked(fromStream());
    }

    private char[] fromConsole(String purpose) throws PasswordInputException {
        char[] first = console.readPassword("New %s: ", purpose);
        if (first == null) {
            throw new PasswordInputException("no password given (end of input)");
        }
        checked(first);
        char[] second = console.readPassword("Repeat %s: ", purpose);
        try {
            if (second == null || !Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new PasswordInputException("the passwords do not match");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** One line of standard input, without its line end. */
    private char[] fromStream() throws PasswordInputException {
        Reader reader = new InputStreamReader(stdin, StandardCharsets.UTF_8);
        char[] buffer = new char[MAX_LENGTH + 1];
        int length = 0;
        try {
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (length == buffer.length) {
                    Arrays.fill(buffer, '\0');
                    throw new PasswordInputException("the password is longer than " + MAX_LENGTH + " characters");
                }
                buffer[length++] = (char) c;
            }
        } catch (IOException e) {
            Arrays.fill(buffer, '\0');
            throw new PasswordInputException("cannot read the password from standard input: " + e.getMessage());
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] password = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return password;
    }

    private static char[] checked(char[] password) throws PasswordInputException {
        String problem = null;
        if (password.length == 0) {
            problem = "no password given";
        } else if (password.length < MIN_LENGTH) {
            problem = "the password is shorter than " + MIN_LENGTH + " characters";
        } else if (password.length > MAX_LENGTH) {
            problem = "the password is longer than " + MAX_LENGTH + " characters";
        }
        if (problem != null) {
            Arrays.fill(password, '\0');
            throw new PasswordInputException(problem);
        }
        return password;
    }
}
