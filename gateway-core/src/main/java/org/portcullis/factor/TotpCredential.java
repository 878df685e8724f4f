package org.portcullis.factor;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.totp.TotpParameters;

/**
 * One authenticator app of a user, without its secret (which only {@link TotpCredentials#secretOf} opens).
 *
 * @param user       the canonical account name
 * @param id         random, unique per user; part of the secret's GCM associated data
 * @param name       what the user calls it ("Phone"), shown on the account page
 * @param parameters the parameters it was enrolled with
 * @param created    when it was added (shown before it was confirmed, too)
 * @param lastUsed   the last accepted code, if any
 * @param state      {@link State#PENDING} until the user typed a valid code from it; only {@link State#ACTIVE} ones
 *                   sign anybody in
 */
public record TotpCredential(String user, String id, String name, TotpParameters parameters, Instant created,
                             Optional<Instant> lastUsed, State state) {

    /** Whether the authenticator has proved it holds the secret. */
    public enum State {
        PENDING,
        ACTIVE
    }

    public TotpCredential {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastUsed, "lastUsed");
        Objects.requireNonNull(state, "state");
    }

    public boolean active() {
        return state == State.ACTIVE;
    }
}
