package org.portcullis.portal.flow;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditSink;
import org.portcullis.factor.SecondFactors;
import org.portcullis.identity.FirstFactorVerifier;
import org.portcullis.identity.UserDirectory;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.PortalService;
import org.portcullis.portal.flow.PortalRoutes.Csrf;
import org.portcullis.portal.guard.CallbackCodes;
import org.portcullis.portal.guard.CsrfTokens;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.guard.SsoFlows;
import org.portcullis.regulation.Regulators;
import org.portcullis.regulation.UnknownLoginNames;
import org.portcullis.session.SessionInvalidations;
import org.portcullis.session.SessionManagers;
import org.portcullis.signin.DesktopTokens;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.SignInGate;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.upstream.JwksDocument;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * The portal: answers the gateway's own paths through one table, {@link PortalRoutes}. The callback answers on every
 * protected host (GET only); the other pages only on the portal's origin, where any path outside the reserved prefix
 * leads to the portal's home. On the portal's origin, in this order and before any endpoint runs:
 * <ol>
 *   <li>a path the table does not know is 404, a method it does not declare for the path is 405;</li>
 *   <li>a session that still owes its second factor reaches only the routes marked for it: the second-factor page
 *       and its WebAuthn calls, the script and sign-out (SECURITY-RULES 12); anything else sends it to the
 *       second-factor page (JSON routes: 403);</li>
 *   <li>a POST to a route that needs a session, without one, goes to the sign-in page (JSON routes: 401);</li>
 *   <li>every POST passes its declared CSRF check (rule 17: {@code Origin} / {@code Sec-Fetch-Site}, then the
 *       token), or the endpoint's own refusal answers it.</li>
 * </ol>
 */
public final class SignInPortal implements PortalService {
    private final PortalContext context;
    private final CallbackEndpoint callback;
    private final AccountEndpoint account;
    private final PortalRoutes routes;

    private final UpstreamIdentity identity;
    private final ConnectEndpoint connect;
    /** Where the connect endpoints run: their codes and tokens may be in Redis, never waited for on an event loop. */
    private final StorageExecutor storage;
    private final org.portcullis.ssh.SshApprovals sshApprovals;
    private final DeviceCodeEndpoint devices;

    /**
     * Builds every endpoint with the parts it uses, once at start.
     *
     * @param audit         the trail every sign-in step is recorded in
     * @param codes         the one-time codes of single sign-on, issued here and redeemed at the callback
     * @param clock         the time of factor proofs, code redemptions and WebAuthn challenges
     * @param random        the source of CSRF tokens and WebAuthn challenges
     * @param storage       the threads every store call of an endpoint runs on, never an event loop
     * @param sessions      the session manager of a request's snapshot
     * @param regulators    the failure counters with a request's snapshot's limits
     * @param factors       the users' authenticators, security keys, invitation and recovery codes
     * @param gate          the turns sign-ins take under a flood
     * @param firstFactor   the password check on the hashing pool
     * @param directory     the users file's accounts
     * @param unknownLogins the keyed stand-in that counts logins naming no account
     * @param identity      the keys upstreams verify assertions with (the JWKS)
     * @param invalidations where a factor change on the account pages is announced (the session cache drops it)
     * @param challenges    where WebAuthn challenges wait for their answer (in memory, or Redis in a cluster)
     * @param desktopTokens the single-use access tokens the remote desktops page puts in .rdp files
     * @param connectGrants the codes and tokens of {@code portcullis connect}
     */
    public SignInPortal(AuditSink audit, CallbackCodes codes, Clock clock, SecureRandom random,
                        StorageExecutor storage, SessionManagers sessions, Regulators regulators,
                        SecondFactors factors, SignInGate gate, FirstFactorVerifier firstFactor,
                        UserDirectory directory, UnknownLoginNames unknownLogins, UpstreamIdentity identity,
                        SessionInvalidations invalidations, org.portcullis.webauthn.ChallengeStore challenges,
                        DesktopTokens desktopTokens, org.portcullis.tcp.ConnectGrants connectGrants) {
        this.identity = identity;
        this.storage = storage;
        this.context = new PortalContext(audit, new CsrfTokens(random));
        Continuation continuation = new Continuation(codes);
        LoginEndpoint login = new LoginEndpoint(context, continuation, storage, gate, firstFactor, directory,
                unknownLogins, regulators, sessions, factors, clock);
        this.callback = new CallbackEndpoint(context, codes, storage, sessions);
        SignOutEndpoint signOut = new SignOutEndpoint(context, storage, sessions);
        this.account = new AccountEndpoint(storage, factors, clock);
        SecondFactorEndpoint secondFactor = new SecondFactorEndpoint(context, continuation, storage, factors,
                regulators, sessions, clock);
        EnrolEndpoint enrol = new EnrolEndpoint(context, storage, factors, regulators, sessions, clock);
        FactorsEndpoint factorsPage = new FactorsEndpoint(context, account, storage, factors, clock,
                invalidations);
        WebAuthnService relyingParty = new WebAuthnService(factors.webauthn(), clock, challenges);
        WebAuthnEndpoint webauthn = new WebAuthnEndpoint(context, continuation, relyingParty, storage, factors,
                regulators, sessions, clock);
        PasskeyEndpoint passkey = new PasskeyEndpoint(context, continuation, relyingParty, webauthn, storage,
                directory, factors.totp(), regulators, sessions);
        SecurityKeyEndpoint securityKey = new SecurityKeyEndpoint(context, webauthn, storage, factors, regulators,
                sessions, clock);
        RecoveryCodesFileEndpoint recoveryCodesFile = new RecoveryCodesFileEndpoint(context);
        DesktopsEndpoint desktops = new DesktopsEndpoint(context, desktopTokens, storage);
        this.connect = new ConnectEndpoint(connectGrants);
        this.sshApprovals = new org.portcullis.ssh.SshApprovals(clock, random);
        SshApprovalEndpoint sshApproval = new SshApprovalEndpoint(context, sshApprovals);
        this.devices = new DeviceCodeEndpoint(context, new org.portcullis.tcp.DeviceCodes(clock, random),
                connectGrants, random);
        PortalRoutes.Refusal verifyRefused = webauthn.csrfRefusal(org.portcullis.audit.SignInEvent.ACTION_FACTOR_VERIFY);
        PortalRoutes.Refusal enrolRefused = webauthn.csrfRefusal(org.portcullis.audit.SignInEvent.ACTION_FACTOR_ENROL);
        this.routes = new PortalRoutes(List.of(
                PortalRoutes.read(PortalPaths.LOGIN, false, r -> rememberFlow(r, login.show(r))),
                PortalRoutes.change(PortalPaths.LOGIN, Csrf.PRE_SESSION_COOKIE, false, login::submit,
                        login::csrfRefused),
                PortalRoutes.read(PortalPaths.LOGOUT, true, r -> done(account.toHome())),
                PortalRoutes.change(PortalPaths.LOGOUT, Csrf.SESSION_FORM, true, signOut::handle,
                        signOut::csrfRefused),
                PortalRoutes.read(PortalPaths.SECOND_FACTOR, true, r -> rememberFlow(r, secondFactor.show(r))),
                PortalRoutes.change(PortalPaths.SECOND_FACTOR, Csrf.SESSION_FORM, true, secondFactor::submit,
                        secondFactor::csrfRefused),
                PortalRoutes.read(PortalPaths.ENROL, false, enrol::show),
                PortalRoutes.change(PortalPaths.ENROL, Csrf.SESSION_FORM, false, enrol::submit, enrol::csrfRefused),
                PortalRoutes.read(PortalPaths.FACTORS, false, r -> done(account.toHome())),
                PortalRoutes.change(PortalPaths.FACTORS, Csrf.SESSION_FORM, false, factorsPage::submit,
                        factorsPage::csrfRefused),
                PortalRoutes.change(PortalPaths.RECOVERY_CODES_FILE, Csrf.SESSION_FORM, false,
                        recoveryCodesFile::download, recoveryCodesFile::csrfRefused),
                PortalRoutes.read(PortalPaths.SECURITY_KEY, false, securityKey::show),
                PortalRoutes.change(PortalPaths.SECURITY_KEY, Csrf.SESSION_FORM, false, securityKey::submit,
                        securityKey::csrfRefused),
                PortalRoutes.read(PortalPaths.WEBAUTHN_SCRIPT, true, r -> done(script())),
                PortalRoutes.change(PortalPaths.WEBAUTHN_AUTHENTICATE_OPTIONS, Csrf.SESSION_HEADER, true,
                        webauthn::authenticationOptions, verifyRefused),
                PortalRoutes.change(PortalPaths.WEBAUTHN_AUTHENTICATE, Csrf.SESSION_HEADER, true,
                        webauthn::authenticate, verifyRefused),
                PortalRoutes.change(PortalPaths.WEBAUTHN_REGISTER_OPTIONS, Csrf.SESSION_HEADER, false,
                        webauthn::registrationOptions, enrolRefused),
                PortalRoutes.change(PortalPaths.WEBAUTHN_REGISTER, Csrf.SESSION_HEADER, false,
                        webauthn::register, enrolRefused),
                PortalRoutes.onlyWhen(SignInPortal::passwordless, PortalRoutes.change(
                        PortalPaths.WEBAUTHN_PASSKEY_OPTIONS, Csrf.PRE_SESSION_HEADER, false, passkey::options,
                        passkey::csrfRefused)),
                PortalRoutes.onlyWhen(SignInPortal::passwordless, PortalRoutes.change(
                        PortalPaths.WEBAUTHN_PASSKEY, Csrf.PRE_SESSION_HEADER, false, passkey::signIn,
                        passkey::csrfRefused)),
                PortalRoutes.read(PortalPaths.DESKTOPS, false, desktops::show),
                PortalRoutes.change(PortalPaths.DESKTOPS, Csrf.SESSION_FORM, false, desktops::open,
                        desktops::csrfRefused),
                PortalRoutes.read(PortalPaths.CONNECT_AUTHORIZE, false,
                        r -> storage.submit(() -> connect.authorize(r))),
                PortalRoutes.read(PortalPaths.SSH_APPROVE, false, sshApproval::show),
                PortalRoutes.read(PortalPaths.CONNECT_DEVICE_APPROVE, false, devices::show),
                PortalRoutes.change(PortalPaths.CONNECT_DEVICE_APPROVE, Csrf.SESSION_FORM, false, devices::decide,
                        devices::csrfRefused),
                PortalRoutes.change(PortalPaths.SSH_APPROVE, Csrf.SESSION_FORM, false, sshApproval::decide,
                        sshApproval::csrfRefused),
                PortalRoutes.read(PortalPaths.HOME, false, account::home),
                PortalRoutes.read(HOME_WITHOUT_SLASH, false, account::home)));
    }

    private static final String HOME_WITHOUT_SLASH = "/.portcullis";

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
        if (path.equals(PortalPaths.CALLBACK)) {
            return read ? callback.handle(request) : notAllowed();
        }
        if (!site.origin().isPortalHost(request.request())) {
            // Protected hosts answer only the callback (and the JWKS, served before the portal).
            return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().notFound(), "NOT_FOUND"));
        }
        if (!PortalPaths.isReserved(path)) {
            return CompletableFuture.completedFuture(PortalResponse.redirect(302, PortalPaths.HOME, "TO_HOME",
                    List.of()));
        }
        if (path.equals(PortalPaths.CONNECT_TOKEN)) {
            // portcullis connect's code exchange: no cookie, so no CSRF; the code and PKCE verifier are the credential.
            return "POST".equals(request.method()) ? storage.submit(() -> DeviceCodeEndpoint.isDeviceGrant(request)
                    ? devices.token(request) : connect.token(request)) : notAllowed();
        }
        if (path.equals(PortalPaths.CONNECT_DEVICE)) {
            // portcullis connect --device asks for its codes: no cookie, so no CSRF (off unless configured).
            return "POST".equals(request.method()) ? done(devices.start(request)) : notAllowed();
        }
        if (!routes.knows(path)) {
            return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().notFound(), "NOT_FOUND"));
        }
        Optional<PortalRoutes.Route> found = routes.find(path, request.method());
        if (found.isEmpty()) {
            return notAllowed();
        }
        PortalRoutes.Route route = found.get();
        if (!route.available().test(request)) {
            return done(PortalContext.page(site, site.pages().notFound(), "NOT_FOUND"));
        }
        boolean pending = request.session().status() == ResolvedSession.Status.PENDING_SECOND_FACTOR;
        if (pending && !route.pendingAllowed()) {
            return done(route.csrf().json() ? PortalResponse.json(403, WebAuthnJson.error("second_factor_due",
                    org.portcullis.portal.page.WebAuthnMessages.PROOF_REQUIRED), "SECOND_FACTOR_DUE", List.of())
                    : account.toSecondFactor());
        }
        if (route.csrf() == Csrf.NONE) {
            return route.handler().handle(request);
        }
        if (route.csrf().needsSession() && request.session().session() == null) {
            return done(route.csrf().json() ? PortalResponse.json(401, WebAuthnJson.error("sign_in_required",
                    org.portcullis.portal.page.WebAuthnMessages.SIGN_IN_AGAIN), "NO_SESSION", List.of())
                    : PortalContext.toLogin(request));
        }
        CsrfVerdict verdict = PortalCsrf.check(route.csrf(), request);
        return verdict.allowed() ? route.handler().handle(request) : route.refusal().refuse(request, verdict);
    }

    /** The codes and tokens of {@code portcullis connect}, which its tunnel endpoint checks. */
    public org.portcullis.tcp.ConnectGrants connectGrants() {
        return connect.grants();
    }

    /** The SSH jump host's approval links, which this portal's page decides (issue 17). */
    public org.portcullis.ssh.SshApprovals sshApprovals() {
        return sshApprovals;
    }

    /** The passkey routes exist only while passwordless sign-in is on. */
    private static boolean passwordless(PortalRequest request) {
        return request.snapshot().config().webauthn().passwordless();
    }

    private static CompletableFuture<PortalResponse> done(PortalResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    /**
     * A page a protected host's redirect led to ({@code rd} and {@code state}) records the browser's state binding
     * for that host in the {@link SsoFlows} cookie, so the code issued after the sign-in (some pages later) is bound
     * to this browser (SECURITY-RULES 25).
     */
    private static CompletableFuture<PortalResponse> rememberFlow(PortalRequest request,
                                                                  CompletableFuture<PortalResponse> page) {
        String host = PortalContext.site(request).returnTargets()
                .resolve(PortalContext.query(request).text(PortalPaths.FIELD_RD)).host();
        Optional<String> state = Continuation.queryState(request, host);
        if (state.isEmpty() || host.equals(PortalContext.site(request).origin().host())) {
            return page;
        }
        String cookie = SsoFlows.setCookie(request.request().headers().getAll(HttpHeaderNames.COOKIE), host,
                state.get());
        return page.thenApply(response -> response.with(PortalContext.setCookie(cookie)));
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

    private static CompletableFuture<PortalResponse> notAllowed() {
        return CompletableFuture.completedFuture(PortalResponse.json(405,
                "{\"error\":\"method_not_allowed\"}", "METHOD_NOT_ALLOWED", List.of()));
    }
}
