package org.portcullis.portal.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.identity.User;
import org.portcullis.identity.UserDirectory;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfCookie;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.WebAuthnMessages;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulators;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionManagers;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.webauthn.AuthenticationResult;
import org.portcullis.webauthn.CredentialRecord;
import org.portcullis.webauthn.RefusalReason;

/**
 * Passwordless sign-in with a discoverable credential ({@code webauthn.passwordless: true}; otherwise both paths
 * answer 404). Two JSON POSTs from the sign-in page, before any session exists:
 * {@value PortalPaths#WEBAUTHN_PASSKEY_OPTIONS} (a challenge, empty {@code allowCredentials}) and
 * {@value PortalPaths#WEBAUTHN_PASSKEY} (the assertion).
 *
 * <h2>Binding the challenge without a session</h2>
 * The sign-in page already sets the login CSRF token in the {@code __Host-portcullis-csrf} cookie (HttpOnly,
 * SameSite=Strict) and in the page. Both requests must pass the login CSRF check (Origin / Sec-Fetch-Site, and the
 * page's token in {@value PortalPaths#CSRF_HEADER} equal to the cookie), and the challenge is bound to the SHA-256 of
 * that cookie's value: only the browser that holds the cookie can answer it, another browser's cookie finds no
 * challenge, and the value itself never reaches the challenge store. Challenges stay single use and expire after two
 * minutes as for keys.
 *
 * <h2>What the sign-in counts as</h2>
 * The user is the credential's owner, named by the user handle the authenticator must return (W3C WebAuthn §7.2
 * step 6); origin, RP ID, UP, signature and the counter are checked as for a second factor, a disabled key is refused,
 * and failures share the security keys' failure counter ({@link CounterKind#TOTP}; unknown credentials count for the
 * address under {@value #UNKNOWN_ACCOUNT}). The session starts with {@link AuthFactor#PASSKEY} as its first factor.
 * With the UV flag (a PIN or biometric on the device) it also gets {@link AuthFactor#WEBAUTHN}: two factors. Without
 * UV it is one factor: the credential is remembered in the session and never accepted again as its second factor,
 * and a user who has another second factor (an authenticator app or another key) must give it before the session
 * counts (SECURITY-RULES 12), like after a password.
 */
final class PasskeyEndpoint {
    /** Session attribute: the credential that started a session without user verification. */
    static final String PASSKEY_CREDENTIAL = "passkey_credential";
    /** The failure-counter account for an assertion whose credential names no user. */
    static final String UNKNOWN_ACCOUNT = "-";
    private static final String BINDING_PREFIX = "passkey:";

    private final PortalContext context;
    private final Continuation continuation;
    private final WebAuthnService webauthn;
    private final WebAuthnEndpoint keys;
    private final StorageExecutor storage;
    private final UserDirectory directory;
    private final TotpCredentials totp;
    private final Regulators regulators;
    private final SessionManagers sessions;

    PasskeyEndpoint(PortalContext context, Continuation continuation, WebAuthnService webauthn, WebAuthnEndpoint keys,
                    StorageExecutor storage, UserDirectory directory, TotpCredentials totp, Regulators regulators,
                    SessionManagers sessions) {
        this.context = context;
        this.continuation = continuation;
        this.webauthn = webauthn;
        this.keys = keys;
        this.storage = storage;
        this.directory = directory;
        this.totp = totp;
        this.regulators = regulators;
        this.sessions = sessions;
    }

    CompletableFuture<PortalResponse> options(PortalRequest request) {
        Optional<String> binding = binding(request);
        if (binding.isEmpty()) {
            return CompletableFuture.completedFuture(csrfRefused(request));
        }
        return storage.submit(() -> {
            webauthn.purge();
            return WebAuthnEndpoint.json(200, WebAuthnJson.options(webauthn.authentication(
                    request.snapshot().config()).discoverableOptions(binding.get()).json()), "PASSKEY_OPTIONS");
        });
    }

    CompletableFuture<PortalResponse> signIn(PortalRequest request) {
        Optional<String> binding = binding(request);
        if (binding.isEmpty()) {
            return CompletableFuture.completedFuture(csrfRefused(request));
        }
        Optional<WebAuthnJson.Assertion> assertion = WebAuthnJson.assertion(request.body());
        return storage.submit(() -> {
            if (assertion.isEmpty()) {
                return refuse(request, UNKNOWN_ACCOUNT, RefusalReason.MALFORMED);
            }
            WebAuthnJson.Assertion a = assertion.get();
            String account = webauthn.credentials().findById(a.credentialId()).map(CredentialRecord::user)
                    .orElse(UNKNOWN_ACCOUNT);
            Optional<PortalResponse> locked = keys.lockedOut(request, account);
            if (locked.isPresent()) {
                return locked.get();
            }
            AuthenticationResult result = webauthn.authentication(request.snapshot().config()).finishDiscoverable(
                    binding.get(), a.credentialId(), a.clientDataJSON(), a.authenticatorData(), a.signature(),
                    a.userHandle());
            if (result instanceof AuthenticationResult.CloneSuspected clone) {
                boolean disabled = clone.record().disabled();
                context.record(SignInEvent.ACTION_FACTOR_CLONE_SUSPECTED, AuditOutcome.FAILURE,
                        disabled ? "disabled" : "counter_regression", account, request, null);
                keys.countFailure(request, account);
                return WebAuthnEndpoint.json(401, WebAuthnJson.error(disabled ? "key_disabled" : "not_accepted",
                        disabled ? WebAuthnMessages.DISABLED : WebAuthnMessages.NOT_ACCEPTED), "PASSKEY_CLONE");
            }
            if (!(result instanceof AuthenticationResult.Discovered found)) {
                RefusalReason reason = result instanceof AuthenticationResult.Refused r ? r.reason()
                        : RefusalReason.MALFORMED;
                return refuse(request, account, reason);
            }
            Optional<User> user = directory.confirm(found.record().user())
                    .filter(u -> !u.disabled() && u.username().equals(found.record().user()));
            if (user.isEmpty()) {
                context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "passkey_user_gone", account,
                        request, null);
                return WebAuthnEndpoint.json(401, WebAuthnJson.error("not_accepted", WebAuthnMessages.NOT_ACCEPTED),
                        "PASSKEY_USER_GONE");
            }
            return start(request, user.get().username(), found, a.rd());
        });
    }

    /** On a storage thread: the new session, with one factor or two. */
    private PortalResponse start(PortalRequest request, String user, AuthenticationResult.Discovered found,
                                 String rd) {
        regulators.forConfig(request.snapshot().config()).recordSuccess(CounterKind.TOTP, user);
        SessionManager sessions = this.sessions.forConfig(request.snapshot().config());
        if (request.session().id() != null) {
            sessions.logout(request.session().id());
        }
        String credential = found.record().credentialId();
        Map<String, String> attributes = new HashMap<>(Map.of(PortalContext.SIGN_IN_ID, context.tokens.newToken(),
                PortalContext.CSRF, context.tokens.newToken()));
        boolean due = false;
        if (!found.userVerified()) {
            attributes.put(PASSKEY_CREDENTIAL, credential);
            due = hasOtherSecondFactor(user, credential);
            if (due) {
                attributes.put(ResolvedSession.SECOND_FACTOR_DUE, "passkey");
                attributes.put(PortalContext.SECOND_FACTOR_RD, rd.length() <= LoginEndpoint.MAX_SAVED_RD ? rd : "");
                Continuation.savedState(request, rd).ifPresent(state ->
                        attributes.put(PortalContext.SECOND_FACTOR_STATE, state));
            }
        }
        IssuedSession issued = sessions.start(user, AuthFactor.PASSKEY, attributes);
        if (found.userVerified()) {
            Optional<IssuedSession> both = sessions.rotate(issued.id(), AuthFactor.WEBAUTHN,
                    context.renewedCsrf(Map.of()), java.util.Set.of());
            if (both.isEmpty()) {
                return WebAuthnEndpoint.json(401, WebAuthnJson.error("sign_in_required",
                        WebAuthnMessages.SIGN_IN_AGAIN), "PASSKEY_SESSION_GONE");
            }
            issued = both.get();
        }
        String hash = issued.id().hash().displayId();
        String detail = found.userVerified() ? "passkey_user_verified" : due ? "passkey_second_factor_due"
                : "passkey_one_factor";
        context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.SUCCESS, detail, user, request, hash);
        context.record(SignInEvent.ACTION_SESSION_CREATE, AuditOutcome.SUCCESS,
                found.userVerified() ? "two_factors" : "first_factor", user, request, hash);
        PortalResponse.Header cookie = PortalContext.setCookie(SessionCookie.setCookie(issued.id()));
        if (due) {
            return WebAuthnEndpoint.json(200, WebAuthnJson.redirect(PortalPaths.SECOND_FACTOR),
                    "PASSKEY_SECOND_FACTOR_DUE").with(cookie);
        }
        String location = WebAuthnEndpoint.location(continuation.to(request, issued.id(), issued.session(), rd,
                "PASSKEY_OK"));
        return WebAuthnEndpoint.json(200, WebAuthnJson.redirect(location), "PASSKEY_OK").with(cookie);
    }

    /** An authenticator app, or an enabled key other than {@code credential}. */
    private boolean hasOtherSecondFactor(String user, String credential) {
        return totp.hasActive(user) || webauthn.credentials().findByUser(user)
                .stream().anyMatch(c -> !c.disabled() && !c.credentialId().equals(credential));
    }

    private PortalResponse refuse(PortalRequest request, String account, RefusalReason reason) {
        context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE,
                "passkey_" + reason.name().toLowerCase(Locale.ROOT), account, request, null);
        keys.countFailure(request, account);
        return switch (reason) {
            case UNKNOWN_CREDENTIAL, NOT_USERS_CREDENTIAL -> WebAuthnEndpoint.json(401,
                    WebAuthnJson.error("unknown_key", WebAuthnMessages.NOT_REGISTERED), "PASSKEY_UNKNOWN_KEY");
            case CREDENTIAL_DISABLED -> WebAuthnEndpoint.json(401, WebAuthnJson.error("key_disabled",
                    WebAuthnMessages.DISABLED), "PASSKEY_KEY_DISABLED");
            default -> WebAuthnEndpoint.json(401, WebAuthnJson.error("not_accepted", WebAuthnMessages.NOT_ACCEPTED),
                    "PASSKEY_REFUSED");
        };
    }

    /**
     * The challenge binding of a JSON request: the SHA-256 of the login CSRF cookie's value, which the dispatcher has
     * already checked against the page's token in the header (with the origin). Empty for a request that is not JSON.
     */
    private static Optional<String> binding(PortalRequest request) {
        // The login CSRF rules ran in the dispatcher (PortalRoutes); the cookie they checked is the binding.
        if (!WebAuthnEndpoint.isJson(request)) {
            return Optional.empty();
        }
        Optional<String> cookie = CsrfCookie.find(PortalContext.formHeaders(request).cookie()).token();
        return cookie.map(value -> BINDING_PREFIX + HexFormat.of().formatHex(sha256(value)));
    }

    /** A forged passkey call ({@link PortalRoutes}): JSON 403. */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        return CompletableFuture.completedFuture(csrfRefused(request));
    }

    private PortalResponse csrfRefused(PortalRequest request) {
        context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "passkey_csrf", null, request, null);
        return WebAuthnEndpoint.json(403, WebAuthnJson.error("csrf", WebAuthnMessages.FORM_EXPIRED), "CSRF_REFUSED");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
