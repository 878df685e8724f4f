package org.portcullis.ssh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;
import org.portcullis.session.SessionId;

/**
 * The sign-in state of one SSH connection, kept as an attribute of its MINA session: who typed a correct password,
 * the Portcullis session that started then (marked "second factor due", like the portal's), and, after the second
 * factor, the rotated session every stream of this connection belongs to. The session id never leaves the gateway
 * ({@link SessionId} prints redacted).
 *
 * <p>Thread-safe: MINA's threads and the storage threads both touch it; each field is written once per step.
 */
final class SshLogin {
    private static final AttributeKey<SshLogin> KEY = new AttributeKey<>();

    private final InetAddress source;
    private volatile String user;
    private volatile SessionId session;
    private volatile boolean signedIn;
    private volatile boolean totp;
    private volatile boolean recoveryCodes;
    private volatile boolean securityKey;
    private volatile SshApprovals.Issued approval;
    private volatile String retryNote;
    private volatile String farewell;
    private final java.util.Map<Long, String> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<org.portcullis.signin.LiveStreams.Stream> streams =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SshLogin(InetAddress source) {
        this.source = source;
    }

    /** Attaches a fresh state to a new connection. */
    static SshLogin attach(Session session) {
        SshLogin login = new SshLogin(addressOf(session.getIoSession().getRemoteAddress()));
        session.setAttribute(KEY, login);
        return login;
    }

    /** The connection's state; never null once {@link #attach} ran (it runs when the connection is created). */
    static SshLogin of(Session session) {
        SshLogin login = session.getAttribute(KEY);
        if (login == null) {
            throw new IllegalStateException("SshLogin: connection without sign-in state");
        }
        return login;
    }

    static InetAddress addressOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }

    InetAddress source() {
        return source;
    }

    String sourceIp() {
        return source.getHostAddress();
    }

    /** The password was right; {@code pending} is the new session, not yet good for anything (SECURITY-RULES 12). */
    void passwordAccepted(String username, SessionId pending, boolean hasTotp, boolean hasRecoveryCodes) {
        this.user = Objects.requireNonNull(username, "username");
        this.totp = hasTotp;
        this.recoveryCodes = hasRecoveryCodes;
        this.session = Objects.requireNonNull(pending, "pending");
    }

    /** The second factor was right; {@code rotated} is the session under its new id. */
    void secondFactorAccepted(SessionId rotated) {
        this.session = Objects.requireNonNull(rotated, "rotated");
        this.signedIn = true;
    }

    boolean passwordDone() {
        return user != null && session != null;
    }

    boolean signedIn() {
        return signedIn;
    }

    String user() {
        return user;
    }

    SessionId session() {
        return session;
    }

    boolean hasTotp() {
        return totp;
    }

    boolean hasRecoveryCodes() {
        return recoveryCodes;
    }

    /** The user's second factor is a security key (and no authenticator app): the approval link is offered. */
    boolean approvesByLink() {
        return securityKey;
    }

    void approvesByLink(boolean byLink) {
        this.securityKey = byLink;
    }

    /** The approval link shown to this connection, or null before the first prompt. */
    SshApprovals.Issued approval() {
        return approval;
    }

    void approval(SshApprovals.Issued issued) {
        this.approval = issued;
    }

    /** What the next code prompt says first (after a refused code); null when nothing went wrong. */
    String retryNote() {
        return retryNote;
    }

    void retryNote(String note) {
        this.retryNote = note;
    }

    /** A stream this connection opened (to tell, when the connection closes, that the client ended it). */
    void opened(org.portcullis.signin.LiveStreams.Stream stream) {
        streams.add(stream);
    }

    /**
     * The connection closed: its streams end as closed by the client, before its session's sign-out could be taken
     * for their cause.
     */
    void closedByClient() {
        streams.forEach(s -> s.endedBy(org.portcullis.signin.StreamCloseReason.CLOSED_BY_CLIENT));
    }

    /** Records why channel {@code id} is refused, for {@link RefusalMessages} to send. */
    void refusal(long id, String message) {
        refusals.put(id, message);
    }

    String takeRefusal(long id) {
        return refusals.remove(id);
    }

    /** The message the connection is to be closed with after this step, once; null to go on. */
    synchronized String takeFarewell() {
        String message = farewell;
        farewell = null;
        return message;
    }

    void farewell(String message) {
        this.farewell = message;
    }
}
