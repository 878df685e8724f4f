package org.portcullis.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.portcullis.admission.Admission;
import org.portcullis.ingress.RejectReason;
import org.portcullis.portal.PortalResponse;
import org.portcullis.tcp.TargetRelay;
import org.portcullis.tcp.TcpConnect;

/**
 * A WebSocket upgrade to the tunnel endpoint of {@code portcullis connect} (issue 17): {@link TcpConnect} decides it
 * (the token, its session, the target); a refusal is a short JSON answer and the connection closes; an admitted
 * request connects to the configured target first and only then answers 101, after which the client connection
 * carries WebSocket frames ({@link ConnectSwitch}). Nothing of the request is ever forwarded. Event loop only.
 */
final class ConnectExchange implements ClientExchange {
    private final ExchangeOwner owner;
    private final Admission.Portal admission;
    private final TcpConnect connect;
    private boolean finished;
    private boolean aborted;
    private boolean requestComplete;
    private Channel target;

    ConnectExchange(ExchangeOwner owner, Admission.Portal admission, TcpConnect connect) {
        this.owner = owner;
        this.admission = admission;
        this.connect = connect;
    }

    @Override
    public void start() {
        connect.admit(admission.request(), admission.snapshot(), admission.bodyFollows())
                .whenComplete((verdict, error) -> owner.client().executor().execute(() -> {
                    if (error != null) {
                        // Fail closed: the store could not say whether the session lives.
                        refuse(503, "CONNECT_STORE_UNAVAILABLE");
                    } else if (verdict instanceof TcpConnect.Refused refused) {
                        refuse(refused.status(), refused.code());
                    } else {
                        open((TcpConnect.Admitted) verdict);
                    }
                }));
    }

    private void open(TcpConnect.Admitted admitted) {
        if (aborted || finished) {
            return;
        }
        TargetRelay relay = new TargetRelay();
        ChannelFuture connecting = connect.connect(owner.client().channel().eventLoop(), admitted, relay);
        target = connecting.channel();
        connecting.addListener(f -> {
            if (aborted || finished) {
                connecting.channel().close();
            } else if (!f.isSuccess()) {
                refuse(502, "CONNECT_TARGET_UNREACHABLE");
            } else {
                finished = true;
                owner.becomeConnectTunnel(this, admitted, connecting.channel(), relay);
            }
        });
    }

    /** The value of the client's {@code Sec-WebSocket-Key} (ingress checked it is one valid key). */
    String websocketKey() {
        return admission.request().headers().get("Sec-WebSocket-Key").trim();
    }

    private void refuse(int status, String code) {
        if (finished || aborted) {
            return;
        }
        finished = true;
        byte[] body = ("{\"error\":\"" + code.toLowerCase(java.util.Locale.ROOT) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        PortalResponse response = new PortalResponse(status, java.util.List.of(
                new PortalResponse.Header("Content-Type", "application/json"),
                new PortalResponse.Header("Cache-Control", "no-store")), body, code);
        owner.client().writeAndFlush(PortalExchange.toNetty(response, false, true));
        owner.finished(this, status, true, code);
    }

    @Override
    public void onRequestBody(HttpContent content) {
        // The decoder's end of a request without a body; a request with one was refused (it is dropped).
        requestComplete = requestComplete || content instanceof io.netty.handler.codec.http.LastHttpContent;
        ReferenceCountUtil.release(content);
    }

    @Override
    public boolean requestComplete() {
        return requestComplete;
    }

    @Override
    public boolean wantsRequestBody() {
        return true;
    }

    @Override
    public void failFromClient(RejectReason reason) {
        refuse(reason.status(), reason.name());
    }

    @Override
    public void abort() {
        aborted = true;
        if (target != null && !finished) {
            target.close();
        }
    }
}
