package org.portcullis.portal.flow;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.UserEntry;
import org.portcullis.factor.SecondFactors;
import org.portcullis.identity.FirstFactorResult;
import org.portcullis.identity.FirstFactorVerifier;
import org.portcullis.identity.User;
import org.portcullis.identity.UserDirectory;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfCookie;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.Regulators;
import org.portcullis.regulation.UnknownLoginNames;
import org.portcullis.regulation.Verdict;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionManagers;
import org.portcullis.signin.SignInGate;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;

/**
 * {@code GET /.portcullis/login} shows the form (or, for a browser already signed in, continues at once: that is the
 * single sign-on); {@code POST} checks it. The order of a POST is fixed (SECURITY-RULES 17, 18): CSRF (Origin /
 * Sec-Fetch-Site and the double-submit token, checked by the dispatcher, {@link PortalRoutes}) → lockout check for the account and the address, before any hash →
 * Argon2id on the password pool → count the failure or start a new session under a new id, ending any session the
 * browser brought along (fixation) → continue to {@code rd}.
 */
final class LoginEndpoint {
    /** Longer than any username (64) or email address (254) the users file accepts. */
    static final int MAX_LOGIN_CHARS = 256;
    /** A longer {@code rd} is not kept in the session (its attributes are bounded); the user lands on the home. */
    static final int MAX_SAVED_RD = 2048;

    private final PortalContext context;
    private final Continuation continuation;
    private final StorageExecutor storage;
    private final SignInGate gate;
    private final FirstFactorVerifier firstFactor;
    private final UserDirectory directory;
    private final UnknownLoginNames unknownLogins;
    private final Regulators regulators;
    private final SessionManagers sessions;
    private final SecondFactors factors;

    private final java.time.Clock clock;

    LoginEndpoint(PortalContext context, Continuation continuation, StorageExecutor storage, SignInGate gate,
                  FirstFactorVerifier firstFactor, UserDirectory directory, UnknownLoginNames unknownLogins,
                  Regulators regulators, SessionManagers sessions, SecondFactors factors, java.time.Clock clock) {
        this.clock = clock;
        this.context = context;
        this.continuation = continuation;
        this.storage = storage;
        this.gate = gate;
        this.firstFactor = firstFactor;
        this.directory = directory;
        this.unknownLogins = unknownLogins;
        this.regulators = regulators;
        this.sessions = sessions;
        this.factors = factors;
    }

    CompletableFuture<PortalResponse> show(PortalRequest request) {
        PortalSite site = PortalContext.site(request);
        String rd = PortalContext.query(request).text("rd");
        if (request.session().signedIn()) {
            return storage.submit(() -> continuation.to(request, request.session().id(),
                    request.session().session(), rd, "SIGN_IN_CONTINUED"));
        }
        String token = context.tokens.newToken();
        boolean passkey = request.snapshot().config().webauthn().passwordless() && !request.session().expired();
        var page = request.session().expired()
                ? site.pages().loginFailed(token, rd, "", PortalMessages.SESSION_EXPIRED)
                : passkey ? site.pages().loginWithPasskey(token, rd) : site.pages().login(token, rd);
        PortalResponse response = passkey
                ? PortalContext.withHeaders(site.pages().scriptHeaders(), page, "LOGIN_FORM",
                        PortalContext.setCookie(CsrfCookie.setCookie(token)))
                : PortalContext.page(site, page, "LOGIN_FORM", PortalContext.setCookie(CsrfCookie.setCookie(token)));
        if (request.session().cookieToClear()) {
            response = response.with(PortalContext.setCookie(SessionCookie.clearingCookie()));
        }
        for (String clear : org.portcullis.session.TossedCookies.clearing(
                request.request().headers().getAll("Cookie"), request.request().path())) {
            response = response.with(PortalContext.setCookie(clear));
        }
        return CompletableFuture.completedFuture(response);
    }

    CompletableFuture<PortalResponse> submit(PortalRequest request) {
        PortalSite site = PortalContext.site(request);
        FormBody form = FormBody.parse(request.body()).orElse(null);
        String rd = form == null ? "" : form.text("rd");
        String login = form == null ? "" : form.text("username");
        if (form == null) {
            context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "malformed_form", null, request, null);
            return CompletableFuture.completedFuture(retry(request, site, 400, rd, "",
                    PortalMessages.FORM_EXPIRED, "MALFORMED_FORM"));
        }
        if (login.length() > MAX_LOGIN_CHARS) {
            // No account has such a name (usernames are at most 64 characters, emails 254): nothing to hash or count,
            // and nothing this long goes into the failure counters.
            context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "login_too_long", null, request, null);
            return CompletableFuture.completedFuture(retry(request, site, 401, rd, "",
                    PortalMessages.WRONG_CREDENTIALS, "SIGN_IN_FAILED"));
        }
        Optional<CompletableFuture<SignInGate.Turn>> turn = gate.enter(
                request.request().clientAddress(), request.clientGone());
        if (turn.isEmpty()) {
            context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "busy", null, request, null);
            return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().busy(), "SIGN_IN_BUSY"));
        }
        // Parked until its turn: a flood of sign-ins waits here without costing a store read or a hash.
        return turn.get().thenCompose(permit -> {
            if (request.clientGone().getAsBoolean()) {
                permit.close();
                return CompletableFuture.completedFuture(PortalResponse.json(499, "{}", "CLIENT_GONE", List.of()));
            }
            CompletableFuture<PortalResponse> answer;
            try {
                answer = check(request, site, form, login, rd);
            } catch (RuntimeException e) {
                permit.close();
                throw e;
            }
            return answer.whenComplete((response, error) -> permit.close());
        });
    }

    /**
     * A sign-in POST the CSRF check refused ({@link PortalRoutes}): the form again with a fresh token and cookie, so
     * a user whose form merely expired can sign in at once.
     */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        FormBody form = FormBody.parse(request.body()).orElse(null);
        String rd = form == null ? "" : form.text("rd");
        context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE,
                "csrf_" + verdict.outcome().name().toLowerCase(), null, request, null);
        return CompletableFuture.completedFuture(retry(request, PortalContext.site(request), 403, rd, "",
                PortalMessages.FORM_EXPIRED, "CSRF_REFUSED"));
    }

    /** Lockout, then the password, then the outcome; runs in the sign-in's turn. */
    private CompletableFuture<PortalResponse> check(PortalRequest request, PortalSite site, FormBody form,
                                                    String login, String rd) {
        char[] password = form.text("password").toCharArray();
        GatewayConfig config = request.snapshot().config();
        Regulator regulator = regulators.forConfig(config);
        String account = accountKey(login);
        InetAddress source = request.request().clientAddress();
        return storage.submit(() -> regulator.check(CounterKind.PASSWORD, account, source))
                .thenCompose(verdict -> {
                    if (verdict instanceof Verdict.Locked locked) {
                        java.util.Arrays.fill(password, '\0');
                        context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE,
                                "locked_" + locked.reason().name().toLowerCase(), account, request, null);
                        return CompletableFuture.completedFuture(PortalContext.page(site,
                                site.pages().locked(locked.minutesLeft(clock.instant()), rd),
                                "LOCKED"));
                    }
                    return firstFactor.verify(login, password).thenCompose(result ->
                            storage.submit(() -> settle(request, site, regulator, account,
                                    login, rd, result)));
                });
    }

    /** On a storage thread: count the outcome, and on success start the session. */
    private PortalResponse settle(PortalRequest request, PortalSite site, Regulator regulator, String account,
                                  String login, String rd, FirstFactorResult result) {
        if (result instanceof FirstFactorResult.Busy) {
            context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "busy", account, request, null);
            return PortalContext.page(site, site.pages().busy(), "SIGN_IN_BUSY");
        }
        if (result instanceof FirstFactorResult.Unavailable) {
            // The directory could not be asked: nothing was checked, nothing is counted; fail closed (503).
            context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "directory_unavailable", account, request,
                    null);
            return PortalContext.page(site, site.pages().signInUnavailable(rd), "SIGN_IN_UNAVAILABLE");
        }
        InetAddress source = request.request().clientAddress();
        if (result instanceof FirstFactorResult.Failure failure) {
            Verdict after = regulator.recordFailure(CounterKind.PASSWORD, account, source);
            context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE,
                    failure.reason().name().toLowerCase(), account, request, null);
            if (after instanceof Verdict.Locked locked) {
                context.record(SignInEvent.ACTION_LOCKOUT, AuditOutcome.FAILURE,
                        locked.reason().name().toLowerCase(), account, request, null);
            }
            return retry(request, site, 401, rd, login, PortalMessages.WRONG_CREDENTIALS, "SIGN_IN_FAILED");
        }
        User user = ((FirstFactorResult.Success) result).user();
        regulator.recordSuccess(CounterKind.PASSWORD, user.username());
        if (!account.equals(user.username())) {
            // A directory user not seen recently was counted under the keyed stand-in (docs/ldap.md, "Lockout").
            regulator.recordSuccess(CounterKind.PASSWORD, account);
        }
        SessionManager sessions = this.sessions.forConfig(request.snapshot().config());
        if (request.session().id() != null) {
            // Whatever session the browser brought along ends here: it never becomes the signed-in one (fixation).
            sessions.logout(request.session().id());
        }
        // An account with an authenticator owes its second factor: the session is marked, anonymous for the policy
        // and at the portal good only for the second-factor page and sign-out (SECURITY-RULES 12); rd waits in it.
        boolean secondFactorDue = factors.hasSecondFactor(user.username());
        Map<String, String> attributes = new java.util.HashMap<>(Map.of(PortalContext.SIGN_IN_ID,
                context.tokens.newToken(), PortalContext.CSRF, context.tokens.newToken()));
        if (secondFactorDue) {
            attributes.put(org.portcullis.signin.ResolvedSession.SECOND_FACTOR_DUE, "totp");
            attributes.put(PortalContext.SECOND_FACTOR_RD, rd.length() <= MAX_SAVED_RD ? rd : "");
            Continuation.savedState(request, rd).ifPresent(state -> attributes.put(PortalContext.SECOND_FACTOR_STATE,
                    state));
        }
        IssuedSession issued = sessions.start(user.username(), AuthFactor.PASSWORD, attributes);
        String hash = issued.id().hash().displayId();
        context.record(SignInEvent.ACTION_SIGN_IN, AuditOutcome.SUCCESS, secondFactorDue ? "password_second_factor_due"
                : "password", user.username(), request, hash);
        context.record(SignInEvent.ACTION_SESSION_CREATE, AuditOutcome.SUCCESS, "first_factor", user.username(),
                request, hash);
        if (secondFactorDue) {
            return PortalResponse.redirect(303, org.portcullis.portal.guard.PortalPaths.SECOND_FACTOR,
                    "SIGN_IN_SECOND_FACTOR_DUE", List.of(PortalContext.setCookie(SessionCookie.setCookie(issued.id()))));
        }
        return continuation.to(request, issued.id(), issued.session(), rd, "SIGN_IN_OK")
                .with(PortalContext.setCookie(SessionCookie.setCookie(issued.id())));
    }

    /** The form again with one message; with the passkey button when passwordless sign-in is on, as at first. */
    private PortalResponse retry(PortalRequest request, PortalSite site, int status, String rd, String login,
                                 String message, String outcome) {
        String token = context.tokens.newToken();
        boolean passkey = request.snapshot().config().webauthn().passwordless();
        var page = passkey ? site.pages().loginFailedWithPasskey(token, rd, login, message)
                : site.pages().loginFailed(token, rd, login, message);
        PortalResponse shown = passkey ? PortalContext.withHeaders(site.pages().scriptHeaders(), page, outcome)
                : PortalContext.page(site, page, outcome);
        return new PortalResponse(status, shown.headers(), page.body(), outcome)
                .with(PortalContext.setCookie(CsrfCookie.setCookie(token)));
    }

    /**
     * The lockout key: the account's canonical username when the login names one (so {@code Alice},
     * {@code alice@example.org} and {@code ALICE} are one account), else a keyed hash of the canonical form of what
     * was typed (never the text, which may be a password typed into the wrong field: UnknownLoginNames), so unknown
     * names are counted and locked like real ones and the lockout does not reveal which exist.
     */
    private String accountKey(String login) {
        return directory.find(login).map(User::username)
                .orElseGet(() -> login.isEmpty() ? "-"
                        : unknownLogins.subject(UserEntry.canonicalLogin(login)));
    }
}
