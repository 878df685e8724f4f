package org.portcullis.ssh;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * MINA's forwarding switches, all off: no agent forwarding, no X11, no listening for the client ({@code -R},
 * {@code tcpip-forward}), and none of MINA's own {@code direct-tcpip} connections ({@link TargetChannel} replaces
 * them). A {@code -R} request is audited and ends the connection with a message, so the user learns why instead of
 * OpenSSH's bare "remote port forwarding failed".
 */
final class RefusingForwardingFilter implements ForwardingFilter {
    private final SshAudit audit;

    RefusingForwardingFilter(SshAudit audit) {
        this.audit = audit;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        SshLogin login = SshLogin.of(session);
        audit.refused("remote_forwarding", login, address.getHostName() + ":" + address.getPort());
        login.farewell(SshMessages.NO_REMOTE_FORWARDING);
        SshJumpHost.closeWithFarewell(session, login);
        return false;
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return false;
    }
}
