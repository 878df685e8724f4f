package org.portcullis.ssh;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.portcullis.audit.AuditSink;
import org.portcullis.config.GatewayConfig;
import org.portcullis.factor.SecondFactors;
import org.portcullis.identity.FirstFactorVerifier;
import org.portcullis.identity.UserDirectory;
import org.portcullis.regulation.Regulators;
import org.portcullis.regulation.UnknownLoginNames;
import org.portcullis.session.SessionManagers;
import org.portcullis.signin.SignInGate;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.storage.StorageExecutor;

/**
 * The portal's own sign-in parts the jump host signs users in with (one instance of each per gateway, so an SSH
 * sign-in and a portal sign-in share the password pool, the lockout counters, the TOTP ledger and the sessions).
 *
 * @param config        the config of the snapshot served now (targets, lockout limits, TOTP window, timeouts)
 * @param storage       the threads store work and slow crypto run on (the portal's sign-in pool)
 * @param gate          the sign-in gate (bounded parallel sign-ins, parked waiters)
 * @param tunnels       where streams are registered and watched
 * @param approvals     the security-key approval links, shared with the portal page that approves them
 */
public record SshSignInParts(Supplier<GatewayConfig> config, AuditSink audit, Clock clock, StorageExecutor storage,
                             SignInGate gate, FirstFactorVerifier firstFactor, UserDirectory directory,
                             UnknownLoginNames unknownLogins, Regulators regulators, SessionManagers sessions,
                             SecondFactors factors, TunnelWatch tunnels, SshApprovals approvals) {
    public SshSignInParts {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(firstFactor, "firstFactor");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(unknownLogins, "unknownLogins");
        Objects.requireNonNull(regulators, "regulators");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(factors, "factors");
        Objects.requireNonNull(tunnels, "tunnels");
        Objects.requireNonNull(approvals, "approvals");
    }
}
