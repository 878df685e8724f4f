package org.portcullis.ssh;

import java.io.IOException;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.AbstractServerSession;
import org.apache.sshd.server.session.ServerConnectionService;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;

/**
 * MINA's connection service answers every refused channel with the text "Generic error while opening channel: N",
 * whatever the channel said. This one sends the refusal the channel recorded for itself in its {@link SshLogin}
 * instead, so the user reads why ({@code channel 0: open failed: administratively prohibited: portcullis: …}).
 */
final class RefusalMessages extends ServerConnectionServiceFactory {
    static final String GENERIC = "Generic error while opening channel: ";

    @Override
    public Service create(Session session) throws IOException {
        ServerConnectionService service = new Explained((AbstractServerSession) session);
        service.addPortForwardingEventListenerManager(this);
        return service;
    }

    private static final class Explained extends ServerConnectionService {
        Explained(AbstractServerSession session) throws IOException {
            super(session);
        }

        @Override
        protected IoWriteFuture sendChannelOpenFailure(Buffer buffer, long sender, int reasonCode, String message,
                                                       String lang) throws IOException {
            String shown = message;
            if (message.startsWith(GENERIC)) {
                try {
                    long channel = Long.parseLong(message.substring(GENERIC.length()));
                    String recorded = SshLogin.of(getSession()).takeRefusal(channel);
                    shown = recorded == null ? message : recorded;
                } catch (RuntimeException e) {
                    shown = message;
                }
            }
            return super.sendChannelOpenFailure(buffer, sender, reasonCode, shown, lang);
        }
    }
}
