package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Collection;
import java.util.List;

/**
 * The front door's one entry point: turns a decoded request head and the facts of its connection into the one
 * {@link CanonicalRequest} that is routed, decided on and forwarded (SECURITY-RULES 1), or a refusal. Pure logic, no
 * channel I/O; the pipeline handler calls it once per request (also for every pipelined request).
 *
 * <p>Steps, in order; the first refusal wins:
 * <ol>
 *   <li>{@link FramingCheck}: version, Host count, CL/TE (defence in depth, the decoder checks the bytes).</li>
 *   <li>{@link MethodRules}: upper-case token; no CONNECT, TRACE, TRACK.</li>
 *   <li>{@link RequestTargetParser}: origin-form or http(s) absolute-form; raw validated query.</li>
 *   <li>{@link ClientAddressResolver} and {@link SchemeResolver}: client address and scheme, believing
 *       X-Forwarded-For/-Proto only from trusted proxies.</li>
 *   <li>{@link HostCanonicalizer} on Host, and on the absolute-form authority, which must name the same origin
 *       ({@link RejectReason#ABSOLUTE_FORM_HOST_MISMATCH}). HTTP/1.0 without Host takes the absolute-form authority,
 *       or is refused with {@link RejectReason#MISSING_HOST}. A port no listener serves for the scheme is refused
 *       ({@link ServedPorts}, {@link RejectReason#UNSERVED_PORT}).</li>
 *   <li>{@link PathCanonicalizer} on the path.</li>
 *   <li>{@link HeaderSanitizer}: Connection first, then hop-by-hop, override and identity headers, WebSocket.</li>
 *   <li>The canonical {@code Host} and {@link ForwardingHeaders} are added to the forwarded set.</li>
 * </ol>
 *
 * <p>Fail closed (SECURITY-RULES 10): {@link #canonicalize} never throws; any unexpected runtime exception becomes a
 * refusal with {@link RejectReason#INVALID_TARGET}. A request the decoder already marked as failed is refused with
 * {@link RejectReason#MALFORMED_REQUEST_LINE}.
 *
 * <p>Thread-safe and stateless per request; one instance is shared by all event loops.
 */
public final class RequestCanonicalizer {
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;
    private static final String HTTPS = "https";

    private final HeaderSanitizer sanitizer;
    /** Null only for the unit-test constructors, which check no port; the gateway always passes its listeners'. */
    private final ServedPorts servedPorts;

    public RequestCanonicalizer() {
        this(List.of());
    }

    /** @param extraIdentityHeaders identity header names the deployment sets besides the built-in ones */
    public RequestCanonicalizer(Collection<String> extraIdentityHeaders) {
        this.sanitizer = new HeaderSanitizer(extraIdentityHeaders);
        this.servedPorts = null;
    }

    /**
     * @param extraIdentityHeaders identity header names the deployment sets besides the built-in ones
     * @param servedPorts          the ports a Host may name ({@link RejectReason#UNSERVED_PORT} otherwise)
     */
    public RequestCanonicalizer(Collection<String> extraIdentityHeaders, ServedPorts servedPorts) {
        this.sanitizer = new HeaderSanitizer(extraIdentityHeaders);
        this.servedPorts = java.util.Objects.requireNonNull(servedPorts, "servedPorts");
    }

    /** The outcome: exactly one canonical request, or a refusal. */
    public sealed interface Result {
        /** The request may proceed to routing and policy, in exactly this form. */
        record Accepted(CanonicalRequest request) implements Result {
        }

        /** The request is refused; the client gets {@code rejection.reason().status()}. */
        record Rejected(RequestRejected rejection) implements Result {
        }
    }

    public Result canonicalize(HttpRequest request, ConnectionInfo connection) {
        try {
            if (request.decoderResult().isFailure()) {
                return new Result.Rejected(new RequestRejected(RejectReason.MALFORMED_REQUEST_LINE,
                        "the decoder refused the request head"));
            }
            return new Result.Accepted(build(request, connection));
        } catch (IngressRejection rejection) {
            return new Result.Rejected(rejection.toRequestRejected());
        } catch (RuntimeException unexpected) {
            return new Result.Rejected(new RequestRejected(RejectReason.INVALID_TARGET,
                    "unexpected " + unexpected.getClass().getSimpleName() + " while canonicalising"));
        }
    }

    private CanonicalRequest build(HttpRequest request, ConnectionInfo connection) throws IngressRejection {
        HttpVersion version = request.protocolVersion();
        HttpHeaders headers = request.headers();
        FramingCheck.check(version, headers);
        String method = request.method().name();
        MethodRules.check(method);
        RequestTarget target = RequestTargetParser.parse(request.uri());

        ClientAddress client = ClientAddressResolver.resolve(connection, headers);
        boolean tls = SchemeResolver.isTls(connection, client.viaTrustedProxy(), headers);
        HostAndPort authority = resolveAuthority(target, headers.get(HttpHeaderNames.HOST), tls);
        if (servedPorts != null && !servedPorts.serves(tls, authority.port())) {
            throw new IngressRejection(RejectReason.UNSERVED_PORT, "Host names a port no listener serves");
        }
        String path = PathCanonicalizer.canonicalize(target.rawPath());
        SanitizedHeaders sanitized = sanitizer.sanitize(method, version, headers);

        String canonicalAuthority = CanonicalRequest.authority(authority.host(), authority.port(), tls);
        sanitized.headers().set(HttpHeaderNames.HOST, canonicalAuthority);
        ForwardingHeaders.add(sanitized.headers(), client.address(), tls, canonicalAuthority, client.chain());
        return new CanonicalRequest(method, tls, authority.host(), authority.port(), path, target.query(), version,
                sanitized.headers(), connection.peer(), client.address(), sanitized.websocketUpgrade());
    }

    private static HostAndPort resolveAuthority(RequestTarget target, String hostHeader, boolean tls)
            throws IngressRejection {
        HostAndPort fromHost = hostHeader == null
                ? null : HostCanonicalizer.canonicalize(hostHeader, tls ? HTTPS_PORT : HTTP_PORT);
        if (!target.isAbsoluteForm()) {
            if (fromHost == null) {
                throw new IngressRejection(RejectReason.MISSING_HOST, "request without Host");
            }
            return fromHost;
        }
        boolean targetTls = HTTPS.equals(target.scheme());
        HostAndPort fromTarget = HostCanonicalizer.canonicalize(target.authority(),
                targetTls ? HTTPS_PORT : HTTP_PORT);
        if (targetTls != tls || (fromHost != null && !fromHost.equals(fromTarget))) {
            throw new IngressRejection(RejectReason.ABSOLUTE_FORM_HOST_MISMATCH,
                    "absolute-form target names another origin than Host");
        }
        return fromTarget;
    }
}
