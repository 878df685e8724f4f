package org.portcullis.portal.flow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.PortalPage;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.SecondFactorPages;
import org.portcullis.portal.page.WebAuthnMessages;
import org.portcullis.portal.page.WebAuthnPages;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.Regulators;
import org.portcullis.regulation.Verdict;
import org.portcullis.session.Session;
import org.portcullis.session.SessionManagers;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;

/**
 * {@code /.portcullis/security-key}: registering a security key or passkey, with the same proof as an authenticator
 * app (SECURITY-RULES 15). GET shows the registration page when the session has proof, the enrolment-code form for a
 * user without any second factor, and otherwise sends the user to confirm with a second factor first. POST takes the
 * enrolment code ({@code step=invitation}: single use, audited, wrong ones counted like codes; a redeemed code lets
 * this session register a first key for five minutes), or makes the recovery codes after the account's first key
 * ({@code step=recovery_codes}, once, shown in this response only). The key itself is registered by the script through
 * {@link WebAuthnEndpoint}. A session that still owes its second factor never gets here ({@link SignInPortal}).
 */
final class SecurityKeyEndpoint {
    private final PortalContext context;
    private final WebAuthnEndpoint endpoint;
    private final StorageExecutor storage;
    private final SecondFactors factors;
    private final Regulators regulators;
    private final SessionManagers sessions;
    private final Clock clock;

    SecurityKeyEndpoint(PortalContext context, WebAuthnEndpoint endpoint, StorageExecutor storage,
                        SecondFactors factors, Regulators regulators, SessionManagers sessions, Clock clock) {
        this.context = context;
        this.endpoint = endpoint;
        this.storage = storage;
        this.factors = factors;
        this.regulators = regulators;
        this.sessions = sessions;
        this.clock = clock;
    }

    CompletableFuture<PortalResponse> show(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        PortalSite site = PortalContext.site(request);
        Session session = request.session().session();
        String csrf = session.attributes().getOrDefault(PortalContext.CSRF, "");
        String rd = PortalContext.query(request).text(PortalPaths.FIELD_RD);
        return storage.submit(() -> {
            if (endpoint.mayRegister(request, session)) {
                return scriptPage(site, site.pages().webauthn().register(200, csrf, rd, Optional.empty()),
                        "SECURITY_KEY_REGISTER");
            }
            if (!factors.hasSecondFactor(session.user())) {
                return PortalContext.page(site, site.pages().webauthn().invitation(200, csrf, rd, Optional.empty()),
                        "SECURITY_KEY_INVITATION");
            }
            return needsFreshFactor(site, rd);
        });
    }

    CompletableFuture<PortalResponse> submit(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        PortalSite site = PortalContext.site(request);
        Session session = request.session().session();
        FormBody form = FormBody.parse(request.body()).orElse(null);
        String csrf = session.attributes().getOrDefault(PortalContext.CSRF, "");
        String rd = form == null ? "" : form.text(PortalPaths.FIELD_RD);
        if (form == null) {
            return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().webauthn().invitation(
                    400, csrf, rd, Optional.of(SecondFactorMessages.FORM_EXPIRED)), "MALFORMED_FORM"));
        }
        String step = form.text(SecondFactorPages.FIELD_STEP);
        return storage.submit(() -> switch (step) {
            case WebAuthnPages.STEP_INVITATION -> redeem(request, site, session, csrf, rd,
                    form.text(SecondFactorPages.FIELD_INVITATION));
            case WebAuthnPages.STEP_RECOVERY_CODES -> recoveryCodes(request, site, session, rd);
            default -> PortalResponse.redirect(303, PortalPaths.SECURITY_KEY, "TO_SECURITY_KEY", List.of());
        });
    }

    /** A forged or expired security-key form ({@link PortalRoutes}): the invitation step again, nothing changed. */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        Session session = request.session().session();
        String rd = FormBody.parse(request.body()).map(form -> form.text(PortalPaths.FIELD_RD)).orElse("");
        context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE,
                "csrf_" + verdict.outcome().name().toLowerCase(), session.user(), request,
                request.session().sessionHash());
        return CompletableFuture.completedFuture(PortalContext.page(PortalContext.site(request),
                PortalContext.site(request).pages().webauthn().invitation(403,
                        session.attributes().getOrDefault(PortalContext.CSRF, ""), rd,
                        Optional.of(SecondFactorMessages.FORM_EXPIRED)), "CSRF_REFUSED"));
    }

    /** The enrolment code of a user without any second factor; then the registration page. */
    private PortalResponse redeem(PortalRequest request, PortalSite site, Session session, String csrf, String rd,
                                  String typed) {
        String user = session.user();
        if (factors.hasSecondFactor(user)) {
            // Another key takes a fresh second factor, never an invitation alone.
            return needsFreshFactor(site, rd);
        }
        Regulator regulator = regulators.forConfig(request.snapshot().config());
        Verdict verdict = regulator.check(CounterKind.TOTP, user, request.request().clientAddress());
        if (verdict instanceof Verdict.Locked locked) {
            context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE,
                    "locked_" + locked.reason().name().toLowerCase(), user, request, request.session().sessionHash());
            return PortalContext.page(site, site.pages().secondFactor().locked(csrf,
                    locked.minutesLeft(clock.instant())), "SECOND_FACTOR_LOCKED");
        }
        Redemption redemption = factors.invitations().redeem(user, typed, clock.instant());
        context.record(SignInEvent.ACTION_INVITATION_REDEEM, redemption == Redemption.ACCEPTED
                ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, redemption.name().toLowerCase(), user, request,
                request.session().sessionHash());
        if (redemption != Redemption.ACCEPTED) {
            Verdict after = regulator.recordFailure(CounterKind.TOTP, user, request.request().clientAddress());
            if (after instanceof Verdict.Locked lock) {
                context.record(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE,
                        "totp_" + lock.reason().name().toLowerCase(), user, request, request.session().sessionHash());
            }
            return PortalContext.page(site, site.pages().webauthn().invitation(401, csrf, rd,
                    Optional.of(SecondFactorMessages.WRONG_INVITATION)), "INVITATION_REFUSED");
        }
        long until = clock.instant().plus(FactorProof.FRESH).toEpochMilli();
        Optional<Session> marked = sessions.forConfig(request.snapshot().config()).updateAttributes(
                request.session().id(), Map.of(WebAuthnEndpoint.INVITED_UNTIL, Long.toString(until)), Set.of());
        if (marked.isEmpty()) {
            return PortalContext.toLogin(request);
        }
        return scriptPage(site, site.pages().webauthn().register(200, csrf, rd, Optional.empty()),
                "SECURITY_KEY_REGISTER");
    }

    /** After the account's first key: ten recovery codes, made and shown once. */
    private PortalResponse recoveryCodes(PortalRequest request, PortalSite site, Session session, String rd) {
        if (!session.attributes().containsKey(WebAuthnEndpoint.RECOVERY_DUE)) {
            return PortalResponse.redirect(303, PortalPaths.HOME, "TO_HOME", List.of());
        }
        Optional<Session> cleared = sessions.forConfig(request.snapshot().config()).updateAttributes(
                request.session().id(), Map.of(), Set.of(WebAuthnEndpoint.RECOVERY_DUE));
        if (cleared.isEmpty()) {
            return PortalContext.toLogin(request);
        }
        RecoveryCodeSet codes = factors.recoveryCodes().generate(session.user(), clock.instant());
        context.record(SignInEvent.ACTION_RECOVERY_CODE_REGENERATE, AuditOutcome.SUCCESS, "first_enrolment",
                session.user(), request, request.session().sessionHash());
        return PortalContext.page(site, site.pages().secondFactor().recoveryCodes(codes.reveal(),
                PortalContext.loginPath(rd), cleared.get().attributes().getOrDefault(PortalContext.CSRF, ""),
                SecondFactorPages.RecoveryCodesFor.SECURITY_KEY), "ENROL_RECOVERY_CODES");
    }

    private static PortalResponse needsFreshFactor(PortalSite site, String rd) {
        String back = WebAuthnPages.securityKeyPath(rd);
        return PortalContext.page(site, site.pages().secondFactor().refusal(403, WebAuthnMessages.REGISTER_TITLE,
                WebAuthnMessages.NEEDS_FRESH, PortalPaths.SECOND_FACTOR + "?" + PortalPaths.FIELD_RD + "="
                        + URLEncoder.encode(back, StandardCharsets.UTF_8), SecondFactorMessages.CONFIRM_WITH_CODE),
                "SECURITY_KEY_NEEDS_FRESH_FACTOR");
    }

    /** A page that runs the portal's script: sent with {@code script-src 'self'} in its CSP. */
    static PortalResponse scriptPage(PortalSite site, PortalPage page, String outcome) {
        return PortalContext.withHeaders(site.pages().scriptHeaders(), page, outcome);
    }
}
