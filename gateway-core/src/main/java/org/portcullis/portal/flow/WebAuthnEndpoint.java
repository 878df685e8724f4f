package org.portcullis.portal.flow;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.factor.WebAuthnCredentials;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.WebAuthnMessages;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.Regulators;
import org.portcullis.regulation.Verdict;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.Session;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionManagers;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.webauthn.AuthenticationOptions;
import org.portcullis.webauthn.AuthenticationResult;
import org.portcullis.webauthn.CredentialRecord;
import org.portcullis.webauthn.RefusalReason;
import org.portcullis.webauthn.RegistrationOptions;
import org.portcullis.webauthn.RegistrationResult;
import org.portcullis.webauthn.WebAuthnUser;

/**
 * The JSON endpoints the portal's script calls for security keys and passkeys (W3C WebAuthn §7.1, §7.2). Each is a
 * POST that must carry, before anything else is looked at: a session, {@code Content-Type: application/json}, an
 * {@code Origin} / {@code Sec-Fetch-Site} of the portal and the session's CSRF token in
 * {@value PortalPaths#CSRF_HEADER} (SECURITY-RULES 17). The ceremonies then check every relying-party rule (rule 14)
 * with a challenge bound to the hash of this session's id.
 *
 * <ul>
 *   <li><b>authenticate</b> — the second factor after the password, or a step-up. Under the same failure counter as
 *       codes (checked first); on success the session moves to a new id with {@code WEBAUTHN} added and the browser
 *       continues to {@code rd}, like after a code. A counter regression is audited as
 *       {@code factor.clone_suspected} and (by default) disables the key.</li>
 *   <li><b>register</b> — only for a full session with proof (SECURITY-RULES 15): a second factor at most five
 *       minutes old, or an admin's enrolment code redeemed in this session for a user without any second factor
 *       ({@link SecurityKeyEndpoint}). The user's keys are excluded so one key is not registered twice. The first
 *       second factor of an account is followed by recovery codes.</li>
 * </ul>
 */
final class WebAuthnEndpoint {
    /** Session attribute: until when (epoch ms) a redeemed enrolment code lets this session register a first key. */
    static final String INVITED_UNTIL = "webauthn_invited_until";
    /** Session attribute: the first key was just registered; its recovery codes may be made once. */
    static final String RECOVERY_DUE = "webauthn_recovery_due";
    static final String NEXT_RECOVERY_CODES = "recovery_codes";
    private static final String JSON = "application/json";

    private final PortalContext context;
    private final Continuation continuation;
    private final WebAuthnService webauthn;
    private final StorageExecutor storage;
    private final SecondFactors factors;
    private final Regulators regulators;
    private final SessionManagers sessions;
    private final Clock clock;

    WebAuthnEndpoint(PortalContext context, Continuation continuation, WebAuthnService webauthn,
                     StorageExecutor storage, SecondFactors factors, Regulators regulators, SessionManagers sessions,
                     Clock clock) {
        this.context = context;
        this.continuation = continuation;
        this.webauthn = webauthn;
        this.storage = storage;
        this.factors = factors;
        this.regulators = regulators;
        this.sessions = sessions;
        this.clock = clock;
    }

    // --- authentication --------------------------------------------------------------------------------------------

    CompletableFuture<PortalResponse> authenticationOptions(PortalRequest request) {
        Optional<PortalResponse> refused = guard(request, SignInEvent.ACTION_FACTOR_VERIFY, false);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        String user = request.session().session().user();
        return storage.submit(() -> {
            Optional<PortalResponse> locked = lockedOut(request, user);
            if (locked.isPresent()) {
                return locked.get();
            }
            webauthn.purge();
            String passkey = request.session().session().attributes()
                    .getOrDefault(PasskeyEndpoint.PASSKEY_CREDENTIAL, "");
            List<CredentialRecord> enabled = credentials().findByUser(user).stream()
                    .filter(c -> !c.disabled() && !c.credentialId().equals(passkey)).toList();
            if (enabled.isEmpty()) {
                return json(409, WebAuthnJson.error("no_key", WebAuthnMessages.NO_KEY), "WEBAUTHN_NO_KEY");
            }
            AuthenticationOptions options = webauthn.authentication(request.snapshot().config())
                    .options(WebAuthnService.binding(request.session().id()), credentials().user(user), enabled);
            return json(200, WebAuthnJson.options(options.json()), "WEBAUTHN_AUTH_OPTIONS");
        });
    }

    CompletableFuture<PortalResponse> authenticate(PortalRequest request) {
        Optional<PortalResponse> refused = guard(request, SignInEvent.ACTION_FACTOR_VERIFY, false);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        Session session = request.session().session();
        String user = session.user();
        Optional<WebAuthnJson.Assertion> assertion = WebAuthnJson.assertion(request.body());
        return storage.submit(() -> {
            Optional<PortalResponse> locked = lockedOut(request, user);
            if (locked.isPresent()) {
                return locked.get();
            }
            if (assertion.isEmpty()) {
                return refuseAuthentication(request, user, RefusalReason.MALFORMED);
            }
            WebAuthnJson.Assertion a = assertion.get();
            if (a.credentialId().equals(session.attributes().get(PasskeyEndpoint.PASSKEY_CREDENTIAL))) {
                // The passkey that started this session without user verification is one factor, not two.
                return refuseAuthentication(request, user, RefusalReason.NOT_USERS_CREDENTIAL);
            }
            WebAuthnUser owner = credentials().user(user);
            AuthenticationResult result = webauthn.authentication(request.snapshot().config()).finish(
                    WebAuthnService.binding(request.session().id()), owner, a.credentialId(), a.clientDataJSON(),
                    a.authenticatorData(), a.signature(), a.userHandle());
            if (result instanceof AuthenticationResult.Refused r) {
                return refuseAuthentication(request, user, r.reason());
            }
            if (result instanceof AuthenticationResult.CloneSuspected clone) {
                boolean disabled = clone.record().disabled();
                context.record(SignInEvent.ACTION_FACTOR_CLONE_SUSPECTED, AuditOutcome.FAILURE,
                        disabled ? "disabled" : "counter_regression", user, request, request.session().sessionHash());
                countFailure(request, user);
                return json(401, WebAuthnJson.error(disabled ? "key_disabled" : "not_accepted",
                        disabled ? WebAuthnMessages.DISABLED : WebAuthnMessages.NOT_ACCEPTED), "WEBAUTHN_CLONE");
            }
            regulators.forConfig(request.snapshot().config()).recordSuccess(CounterKind.TOTP, user);
            context.record(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.SUCCESS, "webauthn", user, request,
                    request.session().sessionHash());
            String rd = a.rd().isEmpty() ? PortalContext.attribute(request, PortalContext.SECOND_FACTOR_RD)
                    .orElse("") : a.rd();
            Optional<IssuedSession> rotated = SecondFactorSuccess.rotate(context, sessions, request,
                    AuthFactor.WEBAUTHN);
            if (rotated.isEmpty()) {
                return json(401, WebAuthnJson.error("sign_in_required", WebAuthnMessages.SIGN_IN_AGAIN),
                        "WEBAUTHN_SESSION_GONE");
            }
            PortalResponse next = continuation.to(request, rotated.get().id(), rotated.get().session(), rd,
                    "SECOND_FACTOR_OK");
            return json(200, WebAuthnJson.redirect(location(next)), "SECOND_FACTOR_OK")
                    .with(PortalContext.setCookie(SessionCookie.setCookie(rotated.get().id())));
        });
    }

    private PortalResponse refuseAuthentication(PortalRequest request, String user, RefusalReason reason) {
        context.record(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE,
                "webauthn_" + reason.name().toLowerCase(Locale.ROOT), user, request, request.session().sessionHash());
        countFailure(request, user);
        return switch (reason) {
            case UNKNOWN_CREDENTIAL, NOT_USERS_CREDENTIAL -> json(401,
                    WebAuthnJson.error("unknown_key", WebAuthnMessages.NOT_REGISTERED), "WEBAUTHN_UNKNOWN_KEY");
            case CREDENTIAL_DISABLED -> json(401, WebAuthnJson.error("key_disabled", WebAuthnMessages.DISABLED),
                    "WEBAUTHN_KEY_DISABLED");
            default -> json(401, WebAuthnJson.error("not_accepted", WebAuthnMessages.NOT_ACCEPTED),
                    "WEBAUTHN_REFUSED");
        };
    }

    // --- registration ----------------------------------------------------------------------------------------------

    CompletableFuture<PortalResponse> registrationOptions(PortalRequest request) {
        Optional<PortalResponse> refused = guard(request, SignInEvent.ACTION_FACTOR_ENROL, true);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        Session session = request.session().session();
        return storage.submit(() -> {
            if (!mayRegister(request, session)) {
                return proofRequired(request, session.user());
            }
            webauthn.purge();
            WebAuthnUser user = credentials().user(session.user());
            RegistrationOptions options = webauthn.registration(request.snapshot().config()).options(
                    WebAuthnService.binding(request.session().id()), user, credentials().findByUser(user.name()),
                    request.snapshot().config().webauthn().passwordless());
            return json(200, WebAuthnJson.options(options.json()), "WEBAUTHN_REG_OPTIONS");
        });
    }

    CompletableFuture<PortalResponse> register(PortalRequest request) {
        Optional<PortalResponse> refused = guard(request, SignInEvent.ACTION_FACTOR_ENROL, true);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        Session session = request.session().session();
        String user = session.user();
        Optional<WebAuthnJson.Attestation> attestation = WebAuthnJson.attestation(request.body());
        return storage.submit(() -> {
            if (!mayRegister(request, session)) {
                return proofRequired(request, user);
            }
            if (attestation.isEmpty()) {
                return refuseRegistration(request, user, RefusalReason.MALFORMED);
            }
            WebAuthnJson.Attestation a = attestation.get();
            boolean first = !factors.hasSecondFactor(user);
            String name = TotpCredentials.validName(a.name()) ? a.name().strip() : WebAuthnMessages.DEFAULT_NAME;
            RegistrationResult result = webauthn.registration(request.snapshot().config()).finish(
                    WebAuthnService.binding(request.session().id()), credentials().user(user), a.clientDataJSON(),
                    a.attestationObject(), a.transports(), name);
            if (result instanceof RegistrationResult.Refused r) {
                return refuseRegistration(request, user, r.reason());
            }
            context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.SUCCESS,
                    first ? "webauthn_confirmed_first" : "webauthn_confirmed", user, request,
                    request.session().sessionHash());
            Map<String, String> set = first ? Map.of(RECOVERY_DUE, "1") : Map.of();
            Set<String> remove = new java.util.HashSet<>(SecondFactorSuccess.ENDED);
            remove.add(INVITED_UNTIL);
            Optional<IssuedSession> rotated = SecondFactorSuccess.rotate(context, sessions, request,
                    AuthFactor.WEBAUTHN, set, remove);
            if (rotated.isEmpty()) {
                return json(401, WebAuthnJson.error("sign_in_required", WebAuthnMessages.SIGN_IN_AGAIN),
                        "WEBAUTHN_SESSION_GONE");
            }
            PortalResponse.Header cookie = PortalContext.setCookie(SessionCookie.setCookie(rotated.get().id()));
            if (first) {
                FirstSecondFactor.endOtherSessions(context, sessions, request, user, rotated.get());
                return json(200, WebAuthnJson.next(NEXT_RECOVERY_CODES, PortalPaths.SECURITY_KEY,
                        rotated.get().session().attributes().getOrDefault(PortalContext.CSRF, "")),
                        "WEBAUTHN_REGISTERED_FIRST").with(cookie);
            }
            String location = a.rd().isEmpty() ? AccountEndpoint.ADDED_KEY : location(continuation.to(request,
                    rotated.get().id(), rotated.get().session(), a.rd(), "WEBAUTHN_REGISTERED"));
            return json(200, WebAuthnJson.redirect(location), "WEBAUTHN_REGISTERED").with(cookie);
        });
    }

    /**
     * SECURITY-RULES 15 for a key: a second factor completed in this session at most five minutes ago; or, for a user
     * without any second factor, an enrolment code redeemed in this session less than five minutes ago (or the
     * test-only {@code enrolment.allow_first_factor_only}). On a storage thread.
     */
    boolean mayRegister(PortalRequest request, Session session) {
        Instant now = clock.instant();
        if (FactorProof.fresh(session, now)) {
            return true;
        }
        if (factors.hasSecondFactor(session.user())) {
            return false;
        }
        if (request.snapshot().config().enrolment().allowFirstFactorOnly()) {
            return true;
        }
        String until = session.attributes().get(INVITED_UNTIL);
        try {
            return until != null && now.toEpochMilli() < Long.parseLong(until);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private PortalResponse proofRequired(PortalRequest request, String user) {
        context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE, "webauthn_proof_required", user,
                request, request.session().sessionHash());
        return json(403, WebAuthnJson.error("proof_required", WebAuthnMessages.PROOF_REQUIRED),
                "WEBAUTHN_PROOF_REQUIRED");
    }

    private PortalResponse refuseRegistration(PortalRequest request, String user, RefusalReason reason) {
        context.record(SignInEvent.ACTION_FACTOR_ENROL, AuditOutcome.FAILURE,
                "webauthn_" + reason.name().toLowerCase(Locale.ROOT), user, request, request.session().sessionHash());
        String message = switch (reason) {
            case CREDENTIAL_ID_IN_USE -> WebAuthnMessages.ALREADY_REGISTERED;
            case ATTESTATION_REJECTED -> WebAuthnMessages.MODEL_NOT_ACCEPTED;
            default -> WebAuthnMessages.REGISTRATION_FAILED;
        };
        return json(400, WebAuthnJson.error("not_registered", message), "WEBAUTHN_REG_REFUSED");
    }

    // --- shared ----------------------------------------------------------------------------------------------------

    /**
     * The checks before any store or ceremony work: a session (a full one when {@code fullSession}) and a JSON body.
     * The CSRF rules (origin, then the session's token in the header) ran before, in the dispatcher
     * ({@link PortalRoutes}).
     */
    private Optional<PortalResponse> guard(PortalRequest request, String auditAction, boolean fullSession) {
        ResolvedSession resolved = request.session();
        if (resolved.session() == null) {
            return Optional.of(json(401, WebAuthnJson.error("sign_in_required", WebAuthnMessages.SIGN_IN_AGAIN),
                    "WEBAUTHN_NO_SESSION"));
        }
        if (fullSession && !resolved.signedIn()) {
            return Optional.of(json(403, WebAuthnJson.error("second_factor_due", WebAuthnMessages.PROOF_REQUIRED),
                    "WEBAUTHN_SECOND_FACTOR_DUE"));
        }
        if (!isJson(request)) {
            return Optional.of(json(415, WebAuthnJson.error("json_required", WebAuthnMessages.FORM_EXPIRED),
                    "WEBAUTHN_NOT_JSON"));
        }
        return Optional.empty();
    }

    /** How a forged call of the script is answered ({@link PortalRoutes}): JSON 403, audited as {@code action}. */
    PortalRoutes.Refusal csrfRefusal(String auditAction) {
        return (request, verdict) -> {
            context.record(auditAction, AuditOutcome.FAILURE, "csrf_" + verdict.outcome().name().toLowerCase(
                    Locale.ROOT), request.session().session().user(), request, request.session().sessionHash());
            return CompletableFuture.completedFuture(json(403, WebAuthnJson.error("csrf",
                    WebAuthnMessages.FORM_EXPIRED), "CSRF_REFUSED"));
        };
    }

    static boolean isJson(PortalRequest request) {
        List<String> types = request.request().headers().getAll(HttpHeaderNames.CONTENT_TYPE);
        if (types.size() != 1) {
            return false;
        }
        String type = types.get(0).toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().equals(JSON);
    }

    Optional<PortalResponse> lockedOut(PortalRequest request, String user) {
        Regulator regulator = regulators.forConfig(request.snapshot().config());
        Verdict verdict = regulator.check(CounterKind.TOTP, user, request.request().clientAddress());
        if (verdict instanceof Verdict.Locked locked) {
            context.record(SignInEvent.ACTION_FACTOR_VERIFY, AuditOutcome.FAILURE,
                    "locked_" + locked.reason().name().toLowerCase(Locale.ROOT), user, request,
                    request.session().sessionHash());
            return Optional.of(json(429, WebAuthnJson.error("locked", WebAuthnMessages.LOCKED), "WEBAUTHN_LOCKED"));
        }
        return Optional.empty();
    }

    void countFailure(PortalRequest request, String user) {
        Verdict after = regulators.forConfig(request.snapshot().config())
                .recordFailure(CounterKind.TOTP, user, request.request().clientAddress());
        if (after instanceof Verdict.Locked lock) {
            context.record(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE,
                    "totp_" + lock.reason().name().toLowerCase(Locale.ROOT), user, request,
                    request.session().sessionHash());
        }
    }

    private WebAuthnCredentials credentials() {
        return webauthn.credentials();
    }

    static String location(PortalResponse redirect) {
        return redirect.headers().stream().filter(h -> h.name().equals("Location")).map(PortalResponse.Header::value)
                .findFirst().orElse(PortalPaths.HOME);
    }

    static PortalResponse json(int status, String body, String outcome) {
        return PortalResponse.json(status, body, outcome, List.of());
    }
}
