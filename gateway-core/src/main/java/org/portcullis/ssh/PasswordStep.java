package org.portcullis.ssh;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.UserEntry;
import org.portcullis.identity.FirstFactorResult;
import org.portcullis.identity.User;
import org.portcullis.policy.AuthFactor;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.Verdict;
import org.portcullis.session.IssuedSession;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.SignInGate;

/**
 * The first factor over SSH ({@code password} method), in the portal's order (LoginEndpoint): the sign-in gate (a
 * flood waits parked, never in front of a signed-in user's lookup) → the lockout check of the account and the address,
 * before any hash → Argon2id on the shared password pool → count the failure, or start a session marked "second
 * factor due" (good for nothing yet, SECURITY-RULES 12). It runs asynchronously ({@link AsyncAuthException}): no
 * MINA thread waits for a hash.
 *
 * <p>A user whose second factor is a security key (and no authenticator app) goes on to the approval link
 * ({@link SshApprovals}) when the gateway has a portal to approve in. A user with no second factor that SSH can use
 * (none; or only a security key, no recovery code and no portal) is told so and disconnected after the right
 * password: every target needs two factors, so there is nothing else to do.
 */
final class PasswordStep implements PasswordAuthenticator {
    /** Longer than any username (64) or email address (254) the users file accepts (as the portal's form). */
    static final int MAX_LOGIN_CHARS = 256;
    /** A session attribute naming where the sign-in happened ({@code sessions list} shows attributes' owners). */
    static final String CHANNEL_ATTRIBUTE = "sign_in_channel";

    private final SshSignInParts parts;
    private final SshAudit audit;

    PasswordStep(SshSignInParts parts, SshAudit audit) {
        this.parts = parts;
        this.audit = audit;
    }

    @Override
    public boolean authenticate(String username, String password, ServerSession session) {
        SshLogin login = SshLogin.of(session);
        if (login.passwordDone() || username.length() > MAX_LOGIN_CHARS) {
            audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE,
                    login.passwordDone() ? "password_repeated" : "login_too_long", null, login, null);
            return false;
        }
        Optional<CompletableFuture<SignInGate.Turn>> turn = parts.gate().enter(login.source(), () -> !session.isOpen());
        if (turn.isEmpty()) {
            audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "busy", null, login, null);
            login.farewell(SshMessages.BUSY);
            SshJumpHost.closeWithFarewell(session, login);
            return false;
        }
        char[] typed = password.toCharArray();
        AsyncAuthException pending = new AsyncAuthException();
        turn.get().thenCompose(permit -> {
            CompletableFuture<Boolean> answer;
            try {
                answer = check(login, username, typed);
            } catch (RuntimeException e) {
                permit.close();
                throw e;
            }
            return answer.whenComplete((ok, error) -> permit.close());
        }).whenComplete((ok, error) -> {
            Arrays.fill(typed, '\0');
            if (error != null) {
                // Fail closed: the store or the pool did not answer.
                audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "error", null, login, null);
                login.farewell(SshMessages.ERROR);
            }
            pending.setAuthed(error == null && ok);
            SshJumpHost.closeWithFarewell(session, login);
        });
        throw pending;
    }

    /** Lockout, then the password, then the outcome; runs in the sign-in's turn. */
    private CompletableFuture<Boolean> check(SshLogin login, String username, char[] typed) {
        GatewayConfig config = parts.config().get();
        Regulator regulator = parts.regulators().forConfig(config);
        String account = accountKey(username);
        InetAddress source = login.source();
        return parts.storage().submit(() -> regulator.check(CounterKind.PASSWORD, account, source))
                .thenCompose(verdict -> {
                    if (verdict instanceof Verdict.Locked locked) {
                        audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE,
                                "locked_" + locked.reason().name().toLowerCase(), account, login, null);
                        login.farewell(SshMessages.locked(locked, parts.clock().instant()));
                        return CompletableFuture.completedFuture(false);
                    }
                    return parts.firstFactor().verify(username, typed).thenCompose(result ->
                            parts.storage().submit(() -> settle(login, config, regulator, account, result)));
                });
    }

    /** On a storage thread: count the outcome, and on success start the (not yet usable) session. */
    private boolean settle(SshLogin login, GatewayConfig config, Regulator regulator, String account,
                           FirstFactorResult result) {
        if (result instanceof FirstFactorResult.Busy) {
            audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "busy", account, login, null);
            login.farewell(SshMessages.BUSY);
            return false;
        }
        if (result instanceof FirstFactorResult.Failure failure) {
            Verdict after = regulator.recordFailure(CounterKind.PASSWORD, account, login.source());
            audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, failure.reason().name().toLowerCase(),
                    account, login, null);
            if (after instanceof Verdict.Locked locked) {
                audit.signIn(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE, locked.reason().name().toLowerCase(),
                        account, login, null);
                login.farewell(SshMessages.locked(locked, parts.clock().instant()));
            }
            return false;
        }
        User user = ((FirstFactorResult.Success) result).user();
        String name = user.username();
        regulator.recordSuccess(CounterKind.PASSWORD, name);
        boolean totp = parts.factors().totp().hasActive(name);
        boolean recovery = parts.factors().recoveryCodes().remaining(name) > 0;
        // A security key cannot answer over SSH; with a portal, the approval link stands in for it (SshApprovals).
        boolean byLink = !totp && config.portal() != null && parts.factors().webauthn().hasAny(name);
        if (!totp && !recovery && !byLink) {
            boolean keyOnly = parts.factors().webauthn().hasAny(name);
            audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE,
                    keyOnly ? "ssh_security_key_only" : "no_second_factor", name, login, null);
            login.farewell(keyOnly ? SshMessages.KEY_ONLY : SshMessages.NO_SECOND_FACTOR);
            return false;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ResolvedSession.SECOND_FACTOR_DUE, "totp");
        attributes.put(CHANNEL_ATTRIBUTE, SshAudit.HOST);
        IssuedSession issued = parts.sessions().forConfig(config).start(name, AuthFactor.PASSWORD, attributes);
        login.passwordAccepted(name, issued.id(), totp, recovery);
        login.approvesByLink(byLink);
        String hash = issued.id().hash().displayId();
        audit.signIn(SignInEvent.ACTION_SIGN_IN, AuditOutcome.SUCCESS, "password_second_factor_due", name, login, hash);
        audit.signIn(SignInEvent.ACTION_SESSION_CREATE, AuditOutcome.SUCCESS, "first_factor", name, login, hash);
        return true;
    }

    /**
     * The lockout key, as the portal's sign-in form makes it: the account's canonical username when the login names
     * one, else a keyed hash of the canonical form of what was typed (never the text), so unknown names are counted
     * and locked like real ones and the lockout reveals nothing about which exist.
     */
    private String accountKey(String login) {
        return parts.directory().find(login).map(User::username)
                .orElseGet(() -> login.isEmpty() ? "-"
                        : parts.unknownLogins().subject(UserEntry.canonicalLogin(login)));
    }
}
