package org.portcullis.ssh;

import java.io.IOException;
import java.util.List;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;

/**
 * Every {@code session} channel (RFC 4254 §6: what a shell, a command, a subsystem such as sftp, agent and X11
 * forwarding all start with) is refused at its opening, with a message saying how to use the gateway, and audited.
 * A jump host that runs nothing has nothing to break into: no shell to escape from, no command parser, no file
 * transfer, no agent socket to hijack.
 */
final class RefusedSessionChannel extends AbstractServerChannel {
    static final String TYPE = "session";

    static ChannelFactory factory(SshAudit audit) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return TYPE;
            }

            @Override
            public org.apache.sshd.common.channel.Channel createChannel(org.apache.sshd.common.session.Session s) {
                return new RefusedSessionChannel(audit);
            }
        };
    }

    private final SshAudit audit;

    private RefusedSessionChannel(SshAudit audit) {
        super("", List.of(), null);
        this.audit = audit;
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        audit.refused("session_channel", SshLogin.of(getSession()), "shell");
        OpenFuture refused = new DefaultOpenFuture(this, this);
        SshLogin.of(getSession()).refusal(getChannelId(), SshMessages.NO_SHELL);
        try {
            refused.setException(new SshChannelOpenException(getChannelId(),
                    SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, SshMessages.NO_SHELL));
        } finally {
            close(true);
        }
        return refused;
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        throw new IOException("RefusedSessionChannel: never opened");
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("RefusedSessionChannel: never opened");
    }
}
