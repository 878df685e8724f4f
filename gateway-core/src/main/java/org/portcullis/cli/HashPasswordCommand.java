package org.portcullis.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;

import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis hash-password}: reads a password (twice from the terminal, or once from standard input) and
 * prints its Argon2id PHC string with the default parameters, for a users file written by hand. There is no option
 * to pass the password as an argument. Exit 0 printed, 1 no usable password.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Hash a password with Argon2id for a users file.",
            "The password is read from the terminal (twice) or from standard input (one line), never from arguments."})
public final class HashPasswordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final PasswordSource passwords;
    private final PasswordHasher hasher;

    public HashPasswordCommand() {
        this(TerminalPasswordSource.system(), new PasswordHasher(Argon2Parameters.defaults()));
    }

    HashPasswordCommand(PasswordSource passwords, PasswordHasher hasher) {
        this.passwords = passwords;
        this.hasher = hasher;
    }

    @Override
    public Integer call() {
        char[] password;
        try {
            password = passwords.readNewPassword("password");
        } catch (PasswordSource.PasswordInputException e) {
            spec.commandLine().getErr().println("portcullis hash-password: " + e.getMessage());
            return 1;
        }
        try {
            spec.commandLine().getOut().println(hasher.hash(password));
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
