package org.portcullis.admission;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.AuditSink;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.GatewayConfig;
import org.portcullis.session.CookieLookup;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.SessionLookups;

/**
 * Stage 4: the caller's session. A request without a usable cookie, or on a gateway without sign-in, is answered at
 * once; a cookie naming a session is looked up in the store, which may answer later (then the pipeline resumes on
 * the connection's event loop) or at once (from a cache). A store that fails does not decide anything here: the
 * failure is passed on, and the policy stage refuses whatever is not a bypass (SECURITY-RULES 10).
 */
public final class SessionStage implements Stage {

    /** Looks a found cookie's session up, with the timeouts of {@code config}. */
    @FunctionalInterface
    public interface SessionLookup {
        CompletionStage<ResolvedSession> resolve(CookieLookup cookie, GatewayConfig config);
    }

    private final SessionLookup lookup;
    private final AuditSink audit;

    /** @param lookup the store's lookup, or null on a gateway without sign-in (no cookie names a known session) */
    public SessionStage(SessionLookup lookup, AuditSink audit) {
        this.lookup = lookup;
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public Step apply(AdmissionContext context) {
        CookieLookup cookie = context.cookie();
        if (lookup == null || cookie.outcome() != CookieLookup.Outcome.FOUND) {
            return new Step.Next(context.withSession(SessionLookups.withoutStore(cookie)));
        }
        CompletionStage<ResolvedSession> resolving;
        try {
            resolving = lookup.resolve(cookie, context.snapshot().config());
        } catch (RuntimeException e) {
            return new Step.Next(context.withoutSession(e));
        }
        CompletableFuture<AdmissionContext> resolved = resolving.toCompletableFuture().handle((session, error) -> {
            if (error != null || session == null) {
                return context.withoutSession(error);
            }
            if (session.expired()) {
                auditExpiry(context, session);
            }
            return context.withSession(session);
        });
        return new Step.Later(resolved);
    }

    private void auditExpiry(AdmissionContext context, ResolvedSession session) {
        audit.record(new SignInEvent(SignInEvent.ACTION_SESSION_EXPIRE, AuditOutcome.SUCCESS,
                session.status() == ResolvedSession.Status.EXPIRED_IDLE ? "idle_timeout" : "absolute_timeout",
                null, context.canonical().clientAddress().getHostAddress(), context.canonical().host(),
                context.cookie().id().map(id -> id.hash().displayId()).orElse(null), context.requestId()));
    }
}
