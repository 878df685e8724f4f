package org.portcullis.ssh;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.TcpTargetConfig;
import org.portcullis.enrolment.Redemption;
import org.portcullis.factor.TotpCheck;
import org.portcullis.factor.TotpCredential;
import org.portcullis.policy.AuthFactor;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.Verdict;
import org.portcullis.session.IssuedSession;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.totp.Verification;

/**
 * The second factor over SSH ({@code keyboard-interactive}, after the password: MINA is told to require both, in this
 * order), in the portal's order (SecondFactorEndpoint): the TOTP lockout check of the account and the address, before
 * any code is computed → a TOTP code (digits only) through the portal's {@link TotpCheck} and its durable step ledger
 * (so a code used on the web is refused here and the reverse), or a recovery code → count the failure, or rotate the
 * session to a new id with the factor added and the "second factor due" mark removed, in one store step.
 *
 * <p>A user whose second factor is a security key gets an approval link instead of a code prompt
 * ({@link SshApprovals}): pressing Enter waits for the browser's decision; a typed recovery code is checked as usual.
 *
 * <p>A refused code gets the prompt again with one constant note (the audit trail says why: {@code wrong_code},
 * {@code malformed}, {@code replay}); OpenSSH asks at most three times per connection. A lock ends the connection with
 * a message.
 */
final class SecondFactorStep implements KeyboardInteractiveAuthenticator {
    /** What counts as a TOTP code; anything else typed is tried as a recovery code. */
    private static final Pattern CODE = Pattern.compile("[0-9]{1,10}");
    /** The portal page an approval link opens (PortalPaths.SSH_APPROVE; the ssh package does not depend on the portal). */
    static final String APPROVE_PATH = "/.portcullis/ssh/approve";

    private final SshSignInParts parts;
    private final SshAudit audit;

    SecondFactorStep(SshSignInParts parts, SshAudit audit) {
        this.parts = parts;
        this.audit = audit;
    }

    @Override
    public InteractiveChallenge generateChallenge(ServerSession session, String username, String lang,
                                                  String subMethods) {
        SshLogin login = SshLogin.of(session);
        if (!login.passwordDone() || login.signedIn()) {
            return null;
        }
        InteractiveChallenge challenge = new InteractiveChallenge();
        challenge.setInteractionName("Portcullis second factor");
        String instruction;
        String prompt;
        if (login.approvesByLink()) {
            Optional<String> link = approvalLink(login);
            if (link.isEmpty()) {
                login.farewell(SshMessages.APPROVAL_UNAVAILABLE);
                SshJumpHost.closeWithFarewell(session, login);
                return null;
            }
            instruction = SshMessages.approveInstruction(link.get(), login.hasRecoveryCodes());
            prompt = login.hasRecoveryCodes() ? SshMessages.APPROVE_PROMPT : SshMessages.APPROVE_ONLY_PROMPT;
        } else {
            instruction = login.hasTotp() ? SshMessages.CODE_INSTRUCTION : SshMessages.KEY_ONLY_INSTRUCTION;
            prompt = login.hasTotp() ? SshMessages.CODE_PROMPT : SshMessages.RECOVERY_PROMPT;
        }
        String note = login.retryNote();
        challenge.setInteractionInstruction(note == null ? instruction : note + "\n" + instruction);
        challenge.setLanguageTag("");
        challenge.addPrompt(prompt, false);
        return challenge;
    }

    /**
     * The connection's approval link, issued at its first prompt (a retry after a wrong recovery code shows the same
     * one); empty when the table of links is full.
     */
    private Optional<String> approvalLink(SshLogin login) {
        SshApprovals.Issued issued = login.approval();
        if (issued == null) {
            GatewayConfig config = parts.config().get();
            Set<String> groups = parts.directory().find(login.user()).map(u -> Set.copyOf(u.groups()))
                    .orElse(Set.of());
            List<String> targets = config.tcpTargets().stream().filter(t -> t.allows(login.user(), groups))
                    .map(TcpTargetConfig::name).toList();
            Optional<SshApprovals.Issued> made = parts.approvals().issue(login.user(), login.sourceIp(), targets);
            if (made.isEmpty()) {
                audit.signIn(SignInEvent.ACTION_SSH_APPROVE, AuditOutcome.FAILURE, "busy", login.user(), login,
                        login.session().hash().displayId());
                return Optional.empty();
            }
            issued = made.get();
            login.approval(issued);
            audit.signIn(SignInEvent.ACTION_SSH_APPROVE, AuditOutcome.SUCCESS, "link_issued", login.user(), login,
                    login.session().hash().displayId());
        }
        String portal = parts.config().get().portal().url().toString();
        return Optional.of((portal.endsWith("/") ? portal.substring(0, portal.length() - 1) : portal)
                + APPROVE_PATH + "?c=" + issued.token());
    }

    @Override
    public boolean authenticate(ServerSession session, String username, List<String> responses) {
        SshLogin login = SshLogin.of(session);
        if (!login.passwordDone() || login.signedIn() || responses.size() != 1) {
            return false;
        }
        String typed = responses.get(0).strip();
        AsyncAuthException pending = new AsyncAuthException();
        if (login.approvesByLink() && typed.isEmpty()) {
            return awaitApproval(session, login, pending);
        }
        parts.storage().submit(() -> verify(login, typed)).whenComplete((ok, error) -> {
            if (error != null) {
                audit.signIn(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE, "error", login.user(), login,
                        login.session().hash().displayId());
                login.farewell(SshMessages.ERROR);
            }
            pending.setAuthed(error == null && ok);
            SshJumpHost.closeWithFarewell(session, login);
        });
        throw pending;
    }

    /**
     * Enter was pressed: the sign-in waits (no MINA thread blocks) until the link is decided in the browser, expires
     * (the jump host sweeps every {@link SshJumpHost#APPROVAL_SWEEP}), or the connection ends.
     */
    private boolean awaitApproval(ServerSession session, SshLogin login, AsyncAuthException pending) {
        SshApprovals.Issued issued = login.approval();
        if (issued == null) {
            return false;
        }
        issued.decision().thenCompose(decision -> parts.storage().submit(() -> settle(login, decision)))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        audit.signIn(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE, "error", login.user(),
                                login, login.session().hash().displayId());
                        login.farewell(SshMessages.ERROR);
                    }
                    pending.setAuthed(error == null && ok);
                    SshJumpHost.closeWithFarewell(session, login);
                });
        throw pending;
    }

    /** On a storage thread: what the browser decided. Only an approval signs the connection in. */
    private boolean settle(SshLogin login, SshApprovals.Decision decision) {
        String hash = login.session().hash().displayId();
        switch (decision.outcome()) {
            case APPROVED -> {
                audit.signIn(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.SUCCESS, "ssh_approval", login.user(),
                        login, hash);
                return rotate(login, parts.config().get(), decision.factor());
            }
            case EXPIRED -> {
                audit.signIn(SignInEvent.ACTION_SSH_APPROVE, AuditOutcome.FAILURE, "expired", login.user(), login,
                        hash);
                login.farewell(SshMessages.APPROVAL_EXPIRED);
            }
            case DENIED -> login.farewell(SshMessages.APPROVAL_DENIED);
            case OTHER_USER -> login.farewell(SshMessages.APPROVAL_OTHER_USER);
            case NO_SECOND_FACTOR -> login.farewell(SshMessages.APPROVAL_NO_SECOND_FACTOR);
            case CANCELLED -> {
                // The connection ended (or signed in with a recovery code): nothing to say.
            }
        }
        return false;
    }

    /** On a storage thread: the lockout, then the code, then the outcome. */
    private boolean verify(SshLogin login, String typed) {
        GatewayConfig config = parts.config().get();
        Regulator regulator = parts.regulators().forConfig(config);
        String user = login.user();
        String hash = login.session().hash().displayId();
        boolean totpCode = CODE.matcher(typed).matches();
        String action = totpCode ? SignInEvent.ACTION_FACTOR_VERIFY : SignInEvent.ACTION_RECOVERY_CODE_USE;
        Verdict verdict = regulator.check(CounterKind.TOTP, user, login.source());
        if (verdict instanceof Verdict.Locked locked) {
            audit.signIn(action, AuditOutcome.FAILURE, "locked_" + locked.reason().name().toLowerCase(), user, login,
                    hash);
            login.farewell(SshMessages.locked(locked, parts.clock().instant()));
            return false;
        }
        AuthFactor factor;
        if (totpCode) {
            List<TotpCredential> active = parts.factors().totp().active(user);
            TotpCheck.Result result = TotpCheck.check(parts.factors(), user, active, typed, config.totp());
            if (!result.ok()) {
                audit.signIn(result.refusal() == Verification.Reason.REPLAY ? SignInEvent.ACTION_FACTOR_REPLAY
                        : SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE,
                        result.refusal().name().toLowerCase(), user, login, hash);
                return failed(login, regulator, hash);
            }
            TotpCredential credential = result.accepted().get();
            regulator.recordSuccess(CounterKind.TOTP, user);
            parts.factors().totp().touch(user, credential.id());
            audit.signIn(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.SUCCESS, "totp", user, login, hash);
            factor = AuthFactor.TOTP;
        } else {
            Redemption redemption = parts.factors().recoveryCodes().redeem(user, typed, parts.clock().instant());
            if (redemption != Redemption.ACCEPTED) {
                audit.signIn(SignInEvent.ACTION_RECOVERY_CODE_USE, AuditOutcome.FAILURE,
                        redemption.name().toLowerCase(), user, login, hash);
                return failed(login, regulator, hash);
            }
            regulator.recordSuccess(CounterKind.TOTP, user);
            audit.signIn(SignInEvent.ACTION_RECOVERY_CODE_USE, AuditOutcome.SUCCESS,
                    "remaining_" + parts.factors().recoveryCodes().remaining(user), user, login, hash);
            factor = AuthFactor.RECOVERY_CODE;
        }
        if (login.approval() != null) {
            // Signed in with a recovery code: the link shown earlier approves nothing any more.
            parts.approvals().cancel(login.approval());
        }
        return rotate(login, config, factor);
    }

    /** Moves the session to a new id with {@code factor} added and the "second factor due" mark removed. */
    private boolean rotate(SshLogin login, GatewayConfig config, AuthFactor factor) {
        String user = login.user();
        Optional<IssuedSession> rotated = parts.sessions().forConfig(config).rotate(login.session(), factor,
                Map.of(), Set.of(ResolvedSession.SECOND_FACTOR_DUE));
        if (rotated.isEmpty()) {
            // The pending session ended meanwhile (revoked, expired): fail closed.
            login.farewell(SshMessages.SIGN_IN_EXPIRED);
            return false;
        }
        login.secondFactorAccepted(rotated.get().id());
        audit.signIn(SignInEvent.ACTION_SESSION_ROTATE, AuditOutcome.SUCCESS, factor.name().toLowerCase(), user,
                login, rotated.get().id().hash().displayId());
        return true;
    }

    /** Counts a refused code against the TOTP counter (account and address), as the portal does. */
    private boolean failed(SshLogin login, Regulator regulator, String hash) {
        Verdict after = regulator.recordFailure(CounterKind.TOTP, login.user(), login.source());
        if (after instanceof Verdict.Locked lock) {
            audit.signIn(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE, "totp_" + lock.reason().name().toLowerCase(),
                    login.user(), login, hash);
            login.farewell(SshMessages.locked(lock, parts.clock().instant()));
        } else {
            login.retryNote(SshMessages.CODE_REFUSED);
        }
        return false;
    }
}
