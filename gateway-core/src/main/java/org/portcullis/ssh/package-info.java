/**
 * The SSH jump host (issue 17, docs/ssh.md): {@code ssh -J alice@gateway:2222 admin@db01} with a stock OpenSSH
 * client, gated by the user's password and a second factor, on Apache MINA SSHD.
 *
 * <p>It offers exactly one thing: {@code direct-tcpip} channels opened by {@code -J}/{@code ProxyJump}/{@code -W} to
 * a configured {@code tcp_targets} entry, relayed byte for byte (the SSH session to the target stays end to end).
 * Shells, commands, subsystems, agent and X11 forwarding, {@code -L} listeners and {@code -R} remote forwarding are
 * refused with a message the user reads, and audited.
 *
 * <p>It signs users in with the portal's own parts, never copies of them: the users file, the password pool and
 * sign-in gate, the lockout counters, the TOTP step ledger and recovery codes, the session store; and every stream is
 * registered in {@link org.portcullis.signin.LiveStreams}, so sign-out, revocation, expiry, {@code reset-mfa} and a
 * policy reload cut it within a second. This package depends on those packages; none of them depends on it (only
 * {@code server} starts it), so it adds no package cycle. It is a package of gateway-core rather than a module of its
 * own because those parts live in gateway-core and gateway-core's server starts it: a module would need gateway-core
 * while gateway-core needs it.
 */
package org.portcullis.ssh;
