package org.portcullis.portal.flow;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.enrolment.Redemption;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCheck;
import org.portcullis.factor.TotpCredential;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.PortalPage;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.SecondFactorPages;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.Regulators;
import org.portcullis.regulation.Verdict;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.Session;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionManagers;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.totp.Verification;

/**
 * {@code /.portcullis/second-factor}: the step after the password for a user who has an authenticator, and the
 * step-up page a two-factor rule sends a signed-in browser to. GET shows the code form (or, for a user without any
 * authenticator, the start of enrolment); POST checks a TOTP code or a recovery code.
 *
 * <p>The order of a POST is fixed: CSRF (Origin / Sec-Fetch-Site and the session's token, SECURITY-RULES 17) →
 * lockout check of the TOTP counter for the account and the address, before any code is computed (rule 13) → the code
 * (ASCII digits only, ±1 step, the step taken once in the durable ledger) → count the failure, or rotate the session to
 * a new id with the factor added and the "second factor due" mark removed in one store step → continue to
 * {@code rd}. A refused code always gets the same page; the audit trail says why ({@code wrong_code},
 * {@code malformed}, {@code replay}).
 */
final class SecondFactorEndpoint {
    /** The value of {@link PortalPaths#FIELD_NEED} a webauthn-only rule's challenge adds. */
    private static final String WEBAUTHN = "webauthn";
    private final PortalContext context;
    private final Continuation continuation;
    private final StorageExecutor storage;
    private final SecondFactors factors;
    private final Regulators regulators;
    private final SessionManagers sessions;
    private final Clock clock;

    SecondFactorEndpoint(PortalContext context, Continuation continuation, StorageExecutor storage,
                         SecondFactors factors, Regulators regulators, SessionManagers sessions, Clock clock) {
        this.context = context;
        this.continuation = continuation;
        this.storage = storage;
        this.factors = factors;
        this.regulators = regulators;
        this.sessions = sessions;
        this.clock = clock;
    }

    CompletableFuture<PortalResponse> show(PortalRequest request) {
        if (request.session().session() == null) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        PortalSite site = PortalContext.site(request);
        String rd = PortalContext.query(request).text(PortalPaths.FIELD_RD);
        String csrf = PortalContext.attribute(request, PortalContext.CSRF).orElse("");
        boolean pending = request.session().status() == ResolvedSession.Status.PENDING_SECOND_FACTOR;
        String user = request.session().session().user();
        boolean invitationNeeded = !request.snapshot().config().enrolment().allowFirstFactorOnly();
        boolean keyRequired = WEBAUTHN.equals(PortalContext.query(request).text(PortalPaths.FIELD_NEED));
        return storage.submit(() -> {
            boolean hasKey = factors.webauthn().hasAny(user);
            if (keyRequired && !hasKey && !pending) {
                // A webauthn-only rule and a user without a key: explain, and lead to registration (with proof).
                return page(site, site.pages().webauthn().keyRequired(csrf, rd), "SECURITY_KEY_REQUIRED");
            }
            if (hasKey) {
                return SecurityKeyEndpoint.scriptPage(site, site.pages().webauthn().secondFactor(200, csrf, rd,
                        Optional.empty(), factors.totp().hasActive(user) && (pending || !keyRequired), keyRequired,
                        user),
                        "SECOND_FACTOR_FORM");
            }
            if (pending || factors.hasSecondFactor(user)) {
                return page(site, site.pages().secondFactor().codeForm(200, csrf, rd, Optional.empty(), user),
                        "SECOND_FACTOR_FORM");
            }
            return page(site, site.pages().secondFactor().enrolStart(200, csrf, rd, invitationNeeded,
                    Optional.empty()), "ENROL_START");
        });
    }

    CompletableFuture<PortalResponse> submit(PortalRequest request) {
        Session session = request.session().session();
        if (session == null) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        PortalSite site = PortalContext.site(request);
        FormBody form = FormBody.parse(request.body()).orElse(null);
        String csrf = session.attributes().getOrDefault(PortalContext.CSRF, "");
        String rd = PortalContext.returnTo(request, form);
        if (form == null) {
            return CompletableFuture.completedFuture(page(site, site.pages().secondFactor().codeForm(400, csrf, rd,
                    Optional.of(SecondFactorMessages.FORM_EXPIRED), session.user()), "MALFORMED_FORM"));
        }
        String recovery = form.text(SecondFactorPages.FIELD_RECOVERY_CODE);
        String code = form.text(SecondFactorPages.FIELD_CODE);
        return storage.submit(() -> recovery.isEmpty()
                ? checkCode(request, site, session, csrf, rd, code)
                : checkRecoveryCode(request, site, session, csrf, rd, recovery));
    }

    /** A forged or expired code form ({@link PortalRoutes}): the form again, nothing counted or changed. */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        Session session = request.session().session();
        PortalSite site = PortalContext.site(request);
        String rd = PortalContext.returnTo(request, FormBody.parse(request.body()).orElse(null));
        context.record(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE,
                "csrf_" + verdict.outcome().name().toLowerCase(), session.user(), request,
                request.session().sessionHash());
        return CompletableFuture.completedFuture(page(site, site.pages().secondFactor().codeForm(403,
                session.attributes().getOrDefault(PortalContext.CSRF, ""), rd,
                Optional.of(SecondFactorMessages.FORM_EXPIRED), session.user()), "CSRF_REFUSED"));
    }

    /** On a storage thread: lockout, the TOTP code against the user's active authenticators, the outcome. */
    private PortalResponse checkCode(PortalRequest request, PortalSite site, Session session, String csrf, String rd,
                                     String code) {
        String user = session.user();
        Regulator regulator = regulators.forConfig(request.snapshot().config());
        InetAddress source = request.request().clientAddress();
        Optional<PortalResponse> locked = lockedOut(request, site, regulator, user, csrf,
                SignInEvent.ACTION_FACTOR_VERIFY);
        if (locked.isPresent()) {
            return locked.get();
        }
        List<TotpCredential> active = factors.totp().active(user);
        TotpCheck.Result result = TotpCheck.check(factors, user, active, code,
                request.snapshot().config().totp());
        if (!result.ok()) {
            String reason = result.refusal().name().toLowerCase();
            context.record(result.refusal() == Verification.Reason.REPLAY ? SignInEvent.ACTION_FACTOR_REPLAY
                    : SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE, reason, user, request,
                    request.session().sessionHash());
            Verdict after = regulator.recordFailure(CounterKind.TOTP, user, source);
            if (after instanceof Verdict.Locked lock) {
                context.record(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE,
                        "totp_" + lock.reason().name().toLowerCase(), user, request, request.session().sessionHash());
            }
            return retry(site, csrf, rd, user, "SECOND_FACTOR_FAILED");
        }
        TotpCredential credential = result.accepted().get();
        regulator.recordSuccess(CounterKind.TOTP, user);
        factors.totp().touch(user, credential.id());
        context.record(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.SUCCESS, "totp", user, request,
                request.session().sessionHash());
        Optional<IssuedSession> rotated = rotate(request, AuthFactor.TOTP);
        if (rotated.isEmpty()) {
            return PortalContext.toLogin(request);
        }
        return continuation.to(request, rotated.get().id(), rotated.get().session(), rd, "SECOND_FACTOR_OK")
                .with(PortalContext.setCookie(SessionCookie.setCookie(rotated.get().id())));
    }

    /** On a storage thread: lockout, then one recovery code in place of the second factor. */
    private PortalResponse checkRecoveryCode(PortalRequest request, PortalSite site, Session session, String csrf,
                                             String rd, String typed) {
        String user = session.user();
        Regulator regulator = regulators.forConfig(request.snapshot().config());
        Optional<PortalResponse> locked = lockedOut(request, site, regulator, user, csrf,
                SignInEvent.ACTION_RECOVERY_CODE_USE);
        if (locked.isPresent()) {
            return locked.get();
        }
        Redemption redemption = factors.recoveryCodes().redeem(user, typed, clock.instant());
        if (redemption != Redemption.ACCEPTED) {
            context.record(SignInEvent.ACTION_RECOVERY_CODE_USE, AuditOutcome.FAILURE,
                    redemption.name().toLowerCase(), user, request, request.session().sessionHash());
            Verdict after = regulator.recordFailure(CounterKind.TOTP, user, request.request().clientAddress());
            if (after instanceof Verdict.Locked lock) {
                context.record(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE,
                        "totp_" + lock.reason().name().toLowerCase(), user, request, request.session().sessionHash());
            }
            return retry(site, csrf, rd, user, "RECOVERY_CODE_FAILED");
        }
        regulator.recordSuccess(CounterKind.TOTP, user);
        int remaining = factors.recoveryCodes().remaining(user);
        context.record(SignInEvent.ACTION_RECOVERY_CODE_USE, AuditOutcome.SUCCESS, "remaining_" + remaining, user,
                request, request.session().sessionHash());
        Optional<IssuedSession> rotated = rotate(request, AuthFactor.RECOVERY_CODE);
        if (rotated.isEmpty()) {
            return PortalContext.toLogin(request);
        }
        return page(site, site.pages().secondFactor().recoveryAccepted(remaining, PortalContext.loginPath(rd)),
                "RECOVERY_CODE_OK", PortalContext.setCookie(SessionCookie.setCookie(rotated.get().id())));
    }

    /** The account's or the address's TOTP lock, checked before any code is computed. */
    private Optional<PortalResponse> lockedOut(PortalRequest request, PortalSite site, Regulator regulator,
                                               String user, String csrf, String action) {
        Verdict verdict = regulator.check(CounterKind.TOTP, user, request.request().clientAddress());
        if (verdict instanceof Verdict.Locked locked) {
            context.record(action, AuditOutcome.FAILURE, "locked_" + locked.reason().name().toLowerCase(), user,
                    request, request.session().sessionHash());
            return Optional.of(page(site, site.pages().secondFactor().locked(csrf,
                    locked.minutesLeft(clock.instant())), "SECOND_FACTOR_LOCKED"));
        }
        return Optional.empty();
    }

    /** The session under a new id with {@code factor} added and the second-factor marks gone, in one store step. */
    private Optional<IssuedSession> rotate(PortalRequest request, AuthFactor factor) {
        return SecondFactorSuccess.rotate(context, sessions, request, factor);
    }

    private static PortalResponse page(PortalSite site, PortalPage page, String outcome,
                                       PortalResponse.Header... extra) {
        return PortalContext.page(site, page, outcome, extra);
    }

    /**
     * The second-factor page again after a wrong code, with the one constant message: with the security-key button
     * when the user has a key (so a wrong app code does not hide the other way in), else the code form. On a storage
     * thread.
     */
    private PortalResponse retry(PortalSite site, String csrf, String rd, String user, String outcome) {
        Optional<String> error = Optional.of(SecondFactorMessages.WRONG_CODE);
        if (factors.webauthn().hasAny(user)) {
            return SecurityKeyEndpoint.scriptPage(site, site.pages().webauthn().secondFactor(401, csrf, rd, error,
                    factors.totp().hasActive(user), false, user), outcome);
        }
        return page(site, site.pages().secondFactor().codeForm(401, csrf, rd, error, user), outcome);
    }
}
