package org.portcullis.identity;

import java.util.concurrent.CompletableFuture;

/**
 * A source of accounts that checks passwords itself (an LDAP directory binds as the user): the login and password go
 * in, one {@link FirstFactorResult} comes out, on the directory's own bounded threads so that a slow directory never
 * holds the password-hashing pool. {@link FirstFactorVerifier} asks it only for logins the users file does not
 * know, and only after the lockout check (the caller's).
 */
public interface PasswordDirectory {
    /**
     * Checks {@code password} for {@code login}. Takes ownership of {@code password} and wipes it. Completes with
     * {@link FirstFactorResult.Success}, {@link FirstFactorResult.Failure}, {@link FirstFactorResult.Busy} when its
     * threads are full, or {@link FirstFactorResult.Unavailable} when the directory cannot be asked; never
     * exceptionally.
     */
    CompletableFuture<FirstFactorResult> authenticate(String login, char[] password);
}
