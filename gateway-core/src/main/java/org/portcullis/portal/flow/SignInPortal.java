package org.portcullis.portal.flow;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditSink;
import org.portcullis.portal.PortalPaths;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.PortalService;
import org.portcullis.portal.PortalSite;
import org.portcullis.portal.guard.CallbackCodes;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.SignInServices;
import org.portcullis.upstream.JwksDocument;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * The portal: answers the gateway's own paths by path and method. Pages are GET/HEAD, state changes are POST with a
 * CSRF token, anything else is 405. The callback answers on every protected host; the other pages only on the portal's
 * origin, where any path outside the reserved prefix leads to the portal's home.
 *
 * <p>A session that still owes its second factor reaches the second-factor page (with the security-key script and
 * its authentication endpoints) and sign-out, nothing else
 * (SECURITY-RULES 12).
 */
public final class SignInPortal implements PortalService {
    private final PortalContext context;
    private final LoginEndpoint login;
    private final CallbackEndpoint callback;
    private final SignOutEndpoint signOut;
    private final AccountEndpoint account;
    private final SecondFactorEndpoint secondFactor;
    private final EnrolEndpoint enrol;
    private final FactorsEndpoint factors;
    private final WebAuthnEndpoint webauthn;
    private final PasskeyEndpoint passkey;
    private final SecurityKeyEndpoint securityKey;

    private final UpstreamIdentity identity;

    public SignInPortal(SignInServices services, CallbackCodes codes, AuditSink audit, UpstreamIdentity identity) {
        this.identity = identity;
        this.context = new PortalContext(services, codes, audit);
        Continuation continuation = new Continuation(context);
        this.login = new LoginEndpoint(context, continuation);
        this.callback = new CallbackEndpoint(context);
        this.signOut = new SignOutEndpoint(context);
        this.account = new AccountEndpoint(context);
        this.secondFactor = new SecondFactorEndpoint(context, continuation);
        this.enrol = new EnrolEndpoint(context);
        this.factors = new FactorsEndpoint(context, account);
        WebAuthnService relyingParty = new WebAuthnService(services.secondFactors().webauthn(), services.clock(),
                services.random());
        this.webauthn = new WebAuthnEndpoint(context, continuation, relyingParty);
        this.passkey = new PasskeyEndpoint(context, continuation, relyingParty, webauthn);
        this.securityKey = new SecurityKeyEndpoint(context, webauthn);
    }

    @Override
    public CompletableFuture<PortalResponse> handle(PortalRequest request) {
        if (request.snapshot().portalSite().isEmpty()) {
            return CompletableFuture.completedFuture(PortalResponse.json(404,
                    "{\"error\":\"not_found\"}", "PORTAL_NOT_CONFIGURED", List.of()));
        }
        PortalSite site = PortalContext.site(request);
        String path = request.path();
        if (path.equals(PortalPaths.JWKS)) {
            return CompletableFuture.completedFuture(jwks());
        }
        boolean read = "GET".equals(request.method()) || "HEAD".equals(request.method());
        boolean post = "POST".equals(request.method());
        if (path.equals(PortalPaths.CALLBACK)) {
            return read ? callback.handle(request) : notAllowed(site);
        }
        if (!site.origin().isPortalHost(request.request())) {
            // Protected hosts answer only the callback (and the JWKS, served before the portal).
            return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().notFound(), "NOT_FOUND"));
        }
        if (!PortalPaths.isReserved(path)) {
            return CompletableFuture.completedFuture(PortalResponse.redirect(302, PortalPaths.HOME, "TO_HOME",
                    List.of()));
        }
        boolean pending = request.session().status() == ResolvedSession.Status.PENDING_SECOND_FACTOR;
        switch (path) {
            case PortalPaths.LOGIN:
                if (pending) {
                    return CompletableFuture.completedFuture(account.toSecondFactor());
                }
                return read ? login.show(request) : post ? login.submit(request) : notAllowed(site);
            case PortalPaths.LOGOUT:
                return post ? signOut.handle(request) : read
                        ? CompletableFuture.completedFuture(account.toHome()) : notAllowed(site);
            case PortalPaths.SECOND_FACTOR:
                return read ? secondFactor.show(request) : post ? secondFactor.submit(request) : notAllowed(site);
            case PortalPaths.ENROL:
                if (pending) {
                    // Adding a factor while the one the account has is still owed: never (SECURITY-RULES 12, 15).
                    return CompletableFuture.completedFuture(account.toSecondFactor());
                }
                return read ? enrol.show(request) : post ? enrol.submit(request) : notAllowed(site);
            case PortalPaths.FACTORS:
                if (pending) {
                    return CompletableFuture.completedFuture(account.toSecondFactor());
                }
                return post ? factors.submit(request) : read
                        ? CompletableFuture.completedFuture(account.toHome()) : notAllowed(site);
            case PortalPaths.WEBAUTHN_SCRIPT:
                return read ? CompletableFuture.completedFuture(script()) : notAllowed(site);
            case PortalPaths.WEBAUTHN_AUTHENTICATE_OPTIONS:
                return post ? webauthn.authenticationOptions(request) : notAllowed(site);
            case PortalPaths.WEBAUTHN_AUTHENTICATE:
                return post ? webauthn.authenticate(request) : notAllowed(site);
            case PortalPaths.WEBAUTHN_PASSKEY_OPTIONS:
                if (!request.snapshot().config().webauthn().passwordless()) {
                    return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().notFound(),
                            "NOT_FOUND"));
                }
                return post ? passkey.options(request) : notAllowed(site);
            case PortalPaths.WEBAUTHN_PASSKEY:
                if (!request.snapshot().config().webauthn().passwordless()) {
                    return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().notFound(),
                            "NOT_FOUND"));
                }
                return post ? passkey.signIn(request) : notAllowed(site);
            case PortalPaths.WEBAUTHN_REGISTER_OPTIONS:
                // A pending session is refused inside (JSON, never a redirect a script could not follow).
                return post ? webauthn.registrationOptions(request) : notAllowed(site);
            case PortalPaths.WEBAUTHN_REGISTER:
                return post ? webauthn.register(request) : notAllowed(site);
            case PortalPaths.SECURITY_KEY:
                if (pending) {
                    return CompletableFuture.completedFuture(account.toSecondFactor());
                }
                return read ? securityKey.show(request) : post ? securityKey.submit(request) : notAllowed(site);
            case PortalPaths.HOME:
            case "/.portcullis":
                if (!read) {
                    return notAllowed(site);
                }
                return pending ? CompletableFuture.completedFuture(account.toSecondFactor()) : account.home(request);
            default:
                return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().notFound(),
                        "NOT_FOUND"));
        }
    }

    /** The portal's one script; the same bytes for everyone, so it needs no session. */
    private static PortalResponse script() {
        List<PortalResponse.Header> headers = org.portcullis.portal.page.PortalScript.HEADERS.stream()
                .map(h -> new PortalResponse.Header(h.name(), h.value())).toList();
        return new PortalResponse(200, headers, org.portcullis.portal.page.PortalScript.bytes(), "WEBAUTHN_SCRIPT");
    }

    /** The public keys upstreams verify assertions with; public, cacheable for a few minutes. */
    private PortalResponse jwks() {
        byte[] body = identity.jwks();
        if (body == null) {
            return PortalResponse.json(404, "{\"error\":\"not_found\"}", "JWKS_NONE", List.of());
        }
        return new PortalResponse(200, List.of(new PortalResponse.Header("Content-Type", JwksDocument.MEDIA_TYPE),
                new PortalResponse.Header("Cache-Control", "public, max-age=300")), body, "JWKS");
    }

    private static CompletableFuture<PortalResponse> notAllowed(PortalSite site) {
        return CompletableFuture.completedFuture(PortalResponse.json(405,
                "{\"error\":\"method_not_allowed\"}", "METHOD_NOT_ALLOWED", List.of()));
    }
}
