package org.portcullis.portal.flow;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.enrolment.RecoveryCodeSet;
import org.portcullis.enrolment.Redemption;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCheck;
import org.portcullis.factor.TotpCredential;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.factor.TotpSettings;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
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
import org.portcullis.totp.ManualKey;
import org.portcullis.totp.OtpAuthUri;
import org.portcullis.totp.QrSvg;
import org.portcullis.totp.TotpSecret;
import org.portcullis.totp.Verification;

/**
 * {@code /.portcullis/enrol}: setting up an authenticator app, which needs proof (SECURITY-RULES 15). A user without
 * an authenticator proves it with the one-time enrolment code an admin issued out of band
 * ({@code portcullis users invite}); a user who has one proves it with a second factor completed in this session at
 * most five minutes ago. The password alone never enrols a factor (unless {@code enrolment.allow_first_factor_only}
 * is set, for closed test environments, and then the gateway warns at every start). A session that still owes its
 * second factor never reaches this page.
 *
 * <p>Steps, each a POST with the session's CSRF token: {@code invitation} (redeem the code) or {@code start} → a
 * pending authenticator is stored and its QR code, manual key and {@code otpauth://} URI are shown → {@code confirm}
 * with a code from the app: only then is it active. After the first one, ten recovery codes are shown once. The
 * session then moves to a new id with the TOTP factor added. Wrong invitation and confirmation codes count on the TOTP
 * failure counter, which is checked first. A new authenticator gets the algorithm, digits and period of the
 * {@code totp} config section as it is at that moment, and keeps them.
 */
final class EnrolEndpoint {
    private final PortalContext context;
    private final StorageExecutor storage;
    private final SecondFactors factors;
    private final Regulators regulators;
    private final SessionManagers sessions;
    private final Clock clock;

    EnrolEndpoint(PortalContext context, StorageExecutor storage, SecondFactors factors, Regulators regulators,
                  SessionManagers sessions, Clock clock) {
        this.context = context;
        this.storage = storage;
        this.factors = factors;
        this.regulators = regulators;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** GET: the pending authenticator of this session again (a reload), else the second-factor page. */
    CompletableFuture<PortalResponse> show(PortalRequest request) {
        Session session = request.session().session();
        if (session == null) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        PortalSite site = PortalContext.site(request);
        Optional<String> pendingId = PortalContext.attribute(request, PortalContext.ENROL_CREDENTIAL);
        if (pendingId.isEmpty()) {
            return CompletableFuture.completedFuture(toSecondFactor());
        }
        String rd = PortalContext.query(request).text(PortalPaths.FIELD_RD);
        return storage.submit(() -> pending(session, pendingId.get())
                .map(credential -> qrPage(request, site, session, credential, rd, 200, Optional.empty(),
                        "ENROL_SHOW"))
                .orElseGet(EnrolEndpoint::toSecondFactor));
    }

    CompletableFuture<PortalResponse> submit(PortalRequest request) {
        Session session = request.session().session();
        if (session == null) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        PortalSite site = PortalContext.site(request);
        FormBody form = FormBody.parse(request.body()).orElse(null);
        String csrf = session.attributes().getOrDefault(PortalContext.CSRF, "");
        String rd = form == null ? "" : form.text(PortalPaths.FIELD_RD);
        boolean invitationNeeded = !request.snapshot().config().enrolment().allowFirstFactorOnly();
        if (form == null) {
            return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().secondFactor()
                    .enrolStart(400, csrf, rd, invitationNeeded, Optional.of(SecondFactorMessages.FORM_EXPIRED)),
                    "MALFORMED_FORM"));
        }
        String step = form.text(SecondFactorPages.FIELD_STEP);
        return storage.submit(() -> switch (step) {
            case SecondFactorPages.STEP_INVITATION -> redeem(request, site, session, csrf, rd,
                    form.text(SecondFactorPages.FIELD_INVITATION));
            case SecondFactorPages.STEP_START -> start(request, site, session, csrf, rd, invitationNeeded);
            case SecondFactorPages.STEP_CONFIRM -> confirm(request, site, session, rd,
                    form.text(SecondFactorPages.FIELD_NAME), form.text(SecondFactorPages.FIELD_CODE));
            default -> toSecondFactor();
        });
    }

    /** A forged or expired enrolment form ({@link PortalRoutes}): the first step again, nothing changed. */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        Session session = request.session().session();
        FormBody form = FormBody.parse(request.body()).orElse(null);
        context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE,
                "csrf_" + verdict.outcome().name().toLowerCase(), session.user(), request,
                request.session().sessionHash());
        return CompletableFuture.completedFuture(PortalContext.page(PortalContext.site(request),
                PortalContext.site(request).pages().secondFactor().enrolStart(403,
                        session.attributes().getOrDefault(PortalContext.CSRF, ""),
                        form == null ? "" : form.text(PortalPaths.FIELD_RD),
                        !request.snapshot().config().enrolment().allowFirstFactorOnly(),
                        Optional.of(SecondFactorMessages.FORM_EXPIRED)), "CSRF_REFUSED"));
    }

    /** The invitation code of a user without an authenticator: single use, audited, counted when wrong. */
    private PortalResponse redeem(PortalRequest request, PortalSite site, Session session, String csrf, String rd,
                                  String typed) {
        String user = session.user();
        if (factors.hasSecondFactor(user)) {
            // Adding a second authenticator takes a fresh second factor, never an invitation alone.
            return start(request, site, session, csrf, rd, true);
        }
        Regulator regulator = regulators.forConfig(request.snapshot().config());
        Optional<PortalResponse> locked = lockedOut(request, site, regulator, user, csrf);
        if (locked.isPresent()) {
            return locked.get();
        }
        Redemption redemption = factors.invitations().redeem(user, typed, clock.instant());
        context.record(SignInEvent.ACTION_INVITATION_REDEEM, redemption == Redemption.ACCEPTED
                ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, redemption.name().toLowerCase(), user, request,
                request.session().sessionHash());
        if (redemption != Redemption.ACCEPTED) {
            countFailure(request, regulator, user);
            return PortalContext.page(site, site.pages().secondFactor().enrolStart(401, csrf, rd, true,
                    Optional.of(SecondFactorMessages.WRONG_INVITATION)), "INVITATION_REFUSED");
        }
        return begin(request, site, session, rd);
    }

    /** Starting without an invitation: a fresh second factor, or the test-only first-factor-only setting. */
    private PortalResponse start(PortalRequest request, PortalSite site, Session session, String csrf, String rd,
                                 boolean invitationNeeded) {
        boolean hasFactor = factors.hasSecondFactor(session.user());
        if (hasFactor && !FactorProof.fresh(session, clock.instant())) {
            context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE, "second_factor_not_fresh",
                    session.user(), request, request.session().sessionHash());
            return PortalContext.page(site, site.pages().secondFactor().refusal(403,
                    SecondFactorMessages.ENROL_TITLE, SecondFactorMessages.NEEDS_FRESH,
                    PortalPaths.SECOND_FACTOR + "?" + PortalPaths.FIELD_RD + "=" + PortalPaths.HOME,
                    SecondFactorMessages.CONFIRM_WITH_CODE), "ENROL_NEEDS_FRESH_FACTOR");
        }
        if (!hasFactor && invitationNeeded) {
            context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE, "invitation_required",
                    session.user(), request, request.session().sessionHash());
            return PortalContext.page(site, site.pages().secondFactor().enrolStart(403, csrf, rd, true,
                    Optional.empty()), "ENROL_NEEDS_INVITATION");
        }
        return begin(request, site, session, rd);
    }

    /** Stores a pending authenticator, remembers it in the session, and shows it. */
    private PortalResponse begin(PortalRequest request, PortalSite site, Session session, String rd) {
        TotpCredentials.Enrolment enrolment = factors.totp().startEnrolment(session.user(),
                SecondFactorMessages.DEFAULT_NAME, TotpSettings.forNewEnrolment(request.snapshot().config().totp()));
        Optional<Session> marked = sessions.forConfig(request.snapshot().config()).updateAttributes(
                request.session().id(), Map.of(PortalContext.ENROL_CREDENTIAL, enrolment.credential().id()),
                Set.of());
        if (marked.isEmpty()) {
            factors.totp().remove(session.user(), enrolment.credential().id());
            return PortalContext.toLogin(request);
        }
        context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.SUCCESS, "pending", session.user(), request,
                request.session().sessionHash());
        return qrPage(request, site, marked.get(), enrolment.credential(), rd, 200, Optional.empty(),
                "ENROL_SHOW");
    }

    /** A code from the new app: the authenticator becomes active, recovery codes after the first one. */
    private PortalResponse confirm(PortalRequest request, PortalSite site, Session session, String rd, String name,
                                   String code) {
        String user = session.user();
        Optional<TotpCredential> pending = PortalContext.attribute(request, PortalContext.ENROL_CREDENTIAL)
                .flatMap(id -> pending(session, id));
        String csrf = session.attributes().getOrDefault(PortalContext.CSRF, "");
        if (pending.isEmpty()) {
            return PortalContext.page(site, site.pages().secondFactor().refusal(409,
                    SecondFactorMessages.ENROL_TITLE, SecondFactorMessages.ENROL_GONE, PortalPaths.SECOND_FACTOR,
                    SecondFactorMessages.CONTINUE), "ENROL_GONE");
        }
        Regulator regulator = regulators.forConfig(request.snapshot().config());
        Optional<PortalResponse> locked = lockedOut(request, site, regulator, user, csrf);
        if (locked.isPresent()) {
            return locked.get();
        }
        String cleanName = TotpCredentials.validName(name) ? name.strip() : SecondFactorMessages.DEFAULT_NAME;
        TotpCheck.Result result = TotpCheck.check(factors, user, List.of(pending.get()), code,
                request.snapshot().config().totp());
        if (!result.ok()) {
            context.record(result.refusal() == Verification.Reason.REPLAY ? SignInEvent.ACTION_FACTOR_REPLAY
                    : SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE,
                    "enrol_" + result.refusal().name().toLowerCase(), user, request, request.session().sessionHash());
            countFailure(request, regulator, user);
            return qrPage(request, site, session, pending.get(), rd, 401,
                    Optional.of(SecondFactorMessages.WRONG_CODE), "ENROL_CODE_REFUSED");
        }
        boolean first = !factors.hasSecondFactor(user);
        if (!factors.totp().activate(user, pending.get().id())) {
            return PortalContext.page(site, site.pages().secondFactor().refusal(409,
                    SecondFactorMessages.ENROL_TITLE, SecondFactorMessages.ENROL_GONE, PortalPaths.SECOND_FACTOR,
                    SecondFactorMessages.CONTINUE), "ENROL_GONE");
        }
        factors.totp().rename(user, pending.get().id(), cleanName);
        factors.totp().touch(user, pending.get().id());
        regulator.recordSuccess(CounterKind.TOTP, user);
        context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.SUCCESS, first ? "confirmed_first"
                : "confirmed", user, request, request.session().sessionHash());
        Optional<IssuedSession> rotated = sessions.forConfig(request.snapshot().config()).rotate(
                request.session().id(), AuthFactor.TOTP, context.renewedCsrf(Map.of()),
                Set.of(PortalContext.ENROL_CREDENTIAL, ResolvedSession.SECOND_FACTOR_DUE, PortalContext.SECOND_FACTOR_RD));
        if (rotated.isEmpty()) {
            return PortalContext.toLogin(request);
        }
        context.record(SignInEvent.ACTION_SESSION_ROTATE, AuditOutcome.SUCCESS, "totp", user, request,
                rotated.get().id().hash().displayId());
        PortalResponse.Header cookie = PortalContext.setCookie(SessionCookie.setCookie(rotated.get().id()));
        if (!first) {
            // The account page confirms it (AccountEndpoint reads the hint against the newest authenticator).
            return PortalResponse.redirect(303, AccountEndpoint.ADDED_APP, "ENROL_ADDED", List.of(cookie));
        }
        FirstSecondFactor.endOtherSessions(context, sessions, request, user, rotated.get());
        RecoveryCodeSet codes = factors.recoveryCodes().generate(user, clock.instant());
        context.record(SignInEvent.ACTION_RECOVERY_CODE_REGENERATE, AuditOutcome.SUCCESS, "first_enrolment", user,
                request, rotated.get().id().hash().displayId());
        return PortalContext.page(site, site.pages().secondFactor().recoveryCodes(codes.reveal(),
                PortalContext.loginPath(rd), rotated.get().session().attributes().getOrDefault(PortalContext.CSRF, ""),
                SecondFactorPages.RecoveryCodesFor.APP), "ENROL_RECOVERY_CODES", cookie);
    }

    private Optional<TotpCredential> pending(Session session, String id) {
        return factors.totp().find(session.user(), id).filter(c -> !c.active());
    }

    private PortalResponse qrPage(PortalRequest request, PortalSite site, Session session, TotpCredential credential,
                                  String rd, int status, Optional<String> error, String outcome) {
        TotpSecret secret = factors.totp().secretOf(credential);
        String issuer = request.snapshot().config().portal().branding().organisation().replace(':', ' ');
        String uri = OtpAuthUri.build(issuer, session.user().replace(':', ' '), secret, credential.parameters());
        return PortalContext.page(site, site.pages().secondFactor().enrolShow(status,
                session.attributes().getOrDefault(PortalContext.CSRF, ""), rd, QrSvg.render(uri),
                ManualKey.format(secret), uri, credential.name(), error), outcome);
    }

    private Optional<PortalResponse> lockedOut(PortalRequest request, PortalSite site, Regulator regulator,
                                               String user, String csrf) {
        Verdict verdict = regulator.check(CounterKind.TOTP, user, request.request().clientAddress());
        if (verdict instanceof Verdict.Locked locked) {
            context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE,
                    "locked_" + locked.reason().name().toLowerCase(), user, request, request.session().sessionHash());
            return Optional.of(PortalContext.page(site, site.pages().secondFactor().locked(csrf,
                    locked.minutesLeft(clock.instant())),
                    "SECOND_FACTOR_LOCKED"));
        }
        return Optional.empty();
    }

    private void countFailure(PortalRequest request, Regulator regulator, String user) {
        Verdict after = regulator.recordFailure(CounterKind.TOTP, user, request.request().clientAddress());
        if (after instanceof Verdict.Locked lock) {
            context.record(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE,
                    "totp_" + lock.reason().name().toLowerCase(), user, request, request.session().sessionHash());
        }
    }

    static PortalResponse toSecondFactor() {
        return PortalResponse.redirect(303, PortalPaths.SECOND_FACTOR, "TO_SECOND_FACTOR", List.of());
    }
}
