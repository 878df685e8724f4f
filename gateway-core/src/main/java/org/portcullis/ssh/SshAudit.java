package org.portcullis.ssh;

import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.AuditSink;
import org.portcullis.audit.SignInEvent;

/**
 * The jump host's audit events: the portal's sign-in events ({@code user.sign_in}, {@code factor.verify},
 * {@code session.create}, …) with {@code host} {@value #HOST}, and {@value #ACTION_REFUSE} for every refused channel
 * or request, whose {@code host} is what the client asked for (escaped by the audit writer, cut to
 * {@value #MAX_ASKED} characters). Never a password or code.
 */
final class SshAudit {
    /** The {@code host} of sign-in events that happened over SSH. */
    static final String HOST = "ssh";
    /** A channel or request the jump host refused: a shell, a command, a forwarding, a target not allowed. */
    static final String ACTION_REFUSE = "ssh.refuse";
    static final int MAX_ASKED = 300;

    private final AuditSink audit;

    SshAudit(AuditSink audit) {
        this.audit = audit;
    }

    void signIn(String action, AuditOutcome outcome, String reason, String user, SshLogin login, String sessionHash) {
        audit.record(new SignInEvent(action, outcome, reason, user, login.sourceIp(), HOST, sessionHash, null));
    }

    void refused(String reason, SshLogin login, String asked) {
        String shown = asked.length() > MAX_ASKED ? asked.substring(0, MAX_ASKED) : asked;
        audit.record(new SignInEvent(ACTION_REFUSE, AuditOutcome.FAILURE, reason, login.user(), login.sourceIp(),
                shown, login.session() == null ? null : login.session().hash().displayId(), null));
    }
}
