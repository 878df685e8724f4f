package org.portcullis.portal.flow;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.enrolment.RecoveryCodeSet;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.factor.WebAuthnCredentials;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.SecondFactorPages;
import org.portcullis.session.Session;
import org.portcullis.session.SessionInvalidation;
import org.portcullis.session.SessionInvalidations;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;

/**
 * {@code POST /.portcullis/factors} from the account page: rename or remove an authenticator, or make new recovery
 * codes. Removing and new recovery codes ask first: without {@code confirmed=yes} they answer a confirmation page and
 * change nothing (the page's form sends the same request confirmed, with the same CSRF token). Each needs the
 * session's CSRF token and a second factor completed in this session at most five minutes ago
 * (SECURITY-RULES 15: changing factors needs proof, not just a session that is still open). The last authenticator
 * cannot be removed: the account would be left with a password alone, and a two-factor rule could then never be met
 * except by a new enrolment, which needs an admin's invitation.
 */
final class FactorsEndpoint {
    private final PortalContext context;
    private final AccountEndpoint account;
    private final StorageExecutor storage;
    private final SecondFactors factors;
    private final Clock clock;
    private final SessionInvalidations invalidations;

    FactorsEndpoint(PortalContext context, AccountEndpoint account, StorageExecutor storage, SecondFactors factors,
                    Clock clock,
                    SessionInvalidations invalidations) {
        this.invalidations = invalidations;
        this.context = context;
        this.account = account;
        this.storage = storage;
        this.factors = factors;
        this.clock = clock;
    }

    CompletableFuture<PortalResponse> submit(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        Session session = request.session().session();
        PortalSite site = PortalContext.site(request);
        FormBody form = FormBody.parse(request.body()).orElse(null);
        String action = form == null ? "" : form.text(SecondFactorPages.FIELD_ACTION);
        String auditAction = auditAction(action);
        return storage.submit(() -> {
            if (form == null) {
                return answer(request, 400, SecondFactorMessages.FORM_EXPIRED, true, "MALFORMED_FORM");
            }
            if (!FactorProof.fresh(session, clock.instant())) {
                context.record(auditAction, AuditOutcome.FAILURE, "second_factor_not_fresh", session.user(), request,
                        request.session().sessionHash());
                return PortalContext.page(site, site.pages().secondFactor().refusal(403,
                        SecondFactorMessages.FACTORS_TITLE, SecondFactorMessages.NEEDS_FRESH,
                        PortalPaths.SECOND_FACTOR + "?" + PortalPaths.FIELD_RD + "=" + PortalPaths.HOME,
                        SecondFactorMessages.CONFIRM_WITH_CODE), "FACTORS_NEED_FRESH_FACTOR");
            }
            String user = session.user();
            String id = form.text(SecondFactorPages.FIELD_ID);
            TotpCredentials totp = factors.totp();
            // Security keys are listed and changed on the same page under the same rules (issue 6 §2).
            WebAuthnCredentials keys = factors.webauthn();
            switch (action) {
                case SecondFactorPages.ACTION_RENAME -> {
                    String name = form.text(SecondFactorPages.FIELD_NAME).strip();
                    if (!TotpCredentials.validName(name)) {
                        return answer(request, 400, SecondFactorMessages.BAD_NAME, true, "FACTOR_BAD_NAME");
                    }
                    boolean renamed = totp.find(user, id).filter(c -> c.active()).isPresent()
                            ? totp.rename(user, id, name)
                            : keys.find(user, id).isPresent() && keys.rename(user, id, name);
                    context.record(auditAction, renamed ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
                            renamed ? "renamed" : "unknown_factor", user, request, request.session().sessionHash());
                    return answer(request, renamed ? 200 : 404, renamed ? SecondFactorMessages.RENAMED
                            : PortalMessages.NOT_FOUND, !renamed, "FACTOR_RENAME");
                }
                case SecondFactorPages.ACTION_REMOVE -> {
                    Optional<String> appName = totp.find(user, id).filter(c -> c.active()).map(c -> c.name());
                    boolean isApp = appName.isPresent();
                    if (!isApp && keys.find(user, id).isEmpty()) {
                        context.record(auditAction, AuditOutcome.FAILURE, "unknown_factor", user, request,
                                request.session().sessionHash());
                        return answer(request, 404, PortalMessages.NOT_FOUND, true, "FACTOR_UNKNOWN");
                    }
                    if (!confirmed(form)) {
                        // Nothing changes yet: the page that asks, whose form sends the same request confirmed.
                        String name = appName.orElseGet(() -> keys.find(user, id).get().record().name());
                        return PortalContext.page(site, site.pages().secondFactor().confirm(csrf(request),
                                SecondFactorPages.ACTION_REMOVE, id,
                                String.format(SecondFactorMessages.CONFIRM_REMOVE_TITLE, name),
                                String.format(SecondFactorMessages.CONFIRM_REMOVE, name),
                                String.format(SecondFactorMessages.CONFIRM_REMOVE_BUTTON, name)),
                                "FACTOR_REMOVE_CONFIRM");
                    }
                    boolean removed = isApp ? totp.removeUnlessLast(user, id) : keys.removeUnlessLast(user, id);
                    if (removed) {
                        // Whatever this node keeps about the user's sessions is read again (issue 14).
                        invalidations.publish(new SessionInvalidation.OneUser(user));
                    }
                    context.record(auditAction, removed ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
                            removed ? "removed" : "last_factor", user, request, request.session().sessionHash());
                    return answer(request, removed ? 200 : 409, removed ? SecondFactorMessages.REMOVED
                            : SecondFactorMessages.LAST_FACTOR, !removed, "FACTOR_REMOVE");
                }
                case SecondFactorPages.ACTION_RECOVERY_CODES -> {
                    if (!confirmed(form)) {
                        return PortalContext.page(site, site.pages().secondFactor().confirm(csrf(request),
                                SecondFactorPages.ACTION_RECOVERY_CODES, "",
                                SecondFactorMessages.CONFIRM_NEW_CODES_TITLE, SecondFactorMessages.CONFIRM_NEW_CODES,
                                SecondFactorMessages.CONFIRM_NEW_CODES_BUTTON), "RECOVERY_CODES_CONFIRM");
                    }
                    RecoveryCodeSet codes = factors.recoveryCodes().generate(user,
                            clock.instant());
                    context.record(auditAction, AuditOutcome.SUCCESS, "account_page", user, request,
                            request.session().sessionHash());
                    return PortalContext.page(site, site.pages().secondFactor().recoveryCodes(codes.reveal(),
                            PortalPaths.HOME, csrf(request), SecondFactorPages.RecoveryCodesFor.NEW_SET),
                            "RECOVERY_CODES");
                }
                default -> {
                    return account.toHome();
                }
            }
        });
    }

    /** A forged or expired account-page form ({@link PortalRoutes}): the account page again, nothing changed. */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        String action = FormBody.parse(request.body()).map(form -> form.text(SecondFactorPages.FIELD_ACTION))
                .orElse("");
        Session session = request.session().session();
        return storage.submit(() -> {
            context.record(auditAction(action), AuditOutcome.FAILURE,
                    "csrf_" + verdict.outcome().name().toLowerCase(), session.user(), request,
                    request.session().sessionHash());
            return answer(request, 403, SecondFactorMessages.FORM_EXPIRED, true, "CSRF_REFUSED");
        });
    }

    /** The form came from the confirmation page ({@link SecondFactorPages#confirm}). */
    private static boolean confirmed(FormBody form) {
        return SecondFactorPages.CONFIRMED.equals(form.text(SecondFactorPages.FIELD_CONFIRMED));
    }

    private static String csrf(PortalRequest request) {
        return PortalContext.attribute(request, PortalContext.CSRF).orElse("");
    }

    private static String auditAction(String action) {
        return SecondFactorPages.ACTION_RENAME.equals(action) ? SignInEvent.ACTION_FACTOR_RENAME
                : SecondFactorPages.ACTION_RECOVERY_CODES.equals(action) ? SignInEvent.ACTION_RECOVERY_CODE_REGENERATE
                : SignInEvent.ACTION_FACTOR_REMOVE;
    }

    private PortalResponse answer(PortalRequest request, int status, String message, boolean alert, String outcome) {
        return PortalContext.page(PortalContext.site(request),
                account.page(request, status, Optional.of(message), alert), outcome);
    }
}
