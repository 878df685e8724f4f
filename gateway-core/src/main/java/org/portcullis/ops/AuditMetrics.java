package org.portcullis.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.portcullis.audit.AuditEvent;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.ConfigReload;
import org.portcullis.audit.RemoteAccess;
import org.portcullis.audit.SignInEvent;

/**
 * Counts what the audit trail already records: sign-ins by result, second factors by type and result, lockouts,
 * config reloads and remote connections opened. Every counter is made at start (each tag value from a closed set),
 * so a dashboard sees zeros rather than missing series, and counting an event is a branch and an increment.
 */
final class AuditMetrics {
    private final Counter signInSuccess;
    private final Counter signInFailure;
    private final Counter lockouts;
    private final Counter reloadSuccess;
    private final Counter reloadFailure;
    private final Counter remoteOpened;
    /** [type][result]: type totp, webauthn, recovery_code; result success, failure, replay. */
    private final Counter[][] factors = new Counter[FactorType.values().length][FactorResult.values().length];

    private enum FactorType { TOTP, WEBAUTHN, RECOVERY_CODE }

    private enum FactorResult { SUCCESS, FAILURE, REPLAY }

    AuditMetrics(MeterRegistry registry) {
        signInSuccess = signIns(registry, "success");
        signInFailure = signIns(registry, "failure");
        lockouts = Counter.builder("portcullis.lockouts")
                .description("Accounts or addresses locked out after repeated failures").register(registry);
        reloadSuccess = reloads(registry, "success");
        reloadFailure = reloads(registry, "failure");
        remoteOpened = Counter.builder("portcullis.remote.connections.opened")
                .description("WebSocket and remote-access streams opened").register(registry);
        for (FactorType type : FactorType.values()) {
            for (FactorResult result : FactorResult.values()) {
                factors[type.ordinal()][result.ordinal()] = Counter.builder("portcullis.second.factors")
                        .description("Second-factor checks by type and result")
                        .tag("type", type.name().toLowerCase(java.util.Locale.ROOT))
                        .tag("result", result.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
            }
        }
    }

    private static Counter signIns(MeterRegistry registry, String result) {
        return Counter.builder("portcullis.sign.ins").description("Password and passkey sign-in attempts by result")
                .tag("result", result).register(registry);
    }

    private static Counter reloads(MeterRegistry registry, String result) {
        return Counter.builder("portcullis.config.reloads").description("Config reload attempts by result")
                .tag("result", result).register(registry);
    }

    void count(AuditEvent event) {
        if (event instanceof SignInEvent signIn) {
            count(signIn);
        } else if (event instanceof ConfigReload reload) {
            (reload.outcome() == AuditOutcome.SUCCESS ? reloadSuccess : reloadFailure).increment();
        } else if (event instanceof RemoteAccess remote && RemoteAccess.ACTION_OPEN.equals(remote.action())) {
            remoteOpened.increment();
        }
    }

    private void count(SignInEvent event) {
        boolean success = event.outcome() == AuditOutcome.SUCCESS;
        switch (event.action()) {
            case SignInEvent.ACTION_SIGN_IN -> (success ? signInSuccess : signInFailure).increment();
            case SignInEvent.ACTION_LOCKOUT -> lockouts.increment();
            case SignInEvent.ACTION_FACTOR_VERIFY -> factor(typeOf(event.reason()),
                    success ? FactorResult.SUCCESS : FactorResult.FAILURE);
            case SignInEvent.ACTION_FACTOR_REPLAY -> factor(FactorType.TOTP, FactorResult.REPLAY);
            case SignInEvent.ACTION_RECOVERY_CODE_USE -> factor(FactorType.RECOVERY_CODE,
                    success ? FactorResult.SUCCESS : FactorResult.FAILURE);
            default -> { }
        }
    }

    private void factor(FactorType type, FactorResult result) {
        factors[type.ordinal()][result.ordinal()].increment();
    }

    /**
     * The factor a {@code factor.verify} event is about: the WebAuthn endpoint's reasons are {@code webauthn} or start
     * with {@code webauthn_}; everything else is the code form's (TOTP).
     */
    private static FactorType typeOf(String reason) {
        return reason.startsWith("webauthn") ? FactorType.WEBAUTHN : FactorType.TOTP;
    }
}
