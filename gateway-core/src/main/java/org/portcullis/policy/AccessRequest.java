package org.portcullis.policy;

import java.net.InetAddress;
import java.util.Objects;
import org.portcullis.config.UpstreamPaths;

/**
 * The parts of a canonical request that the policy looks at. Built from the same canonical request that the proxy
 * forwards (SECURITY-RULES 1), so a rule can never be matched on one form of the path and another be forwarded. The
 * query is deliberately absent: it never takes part in matching.
 *
 * @param method upper-case method token, compared case-sensitively (RFC 9110 §9.1)
 * @param host   canonical host: lower-case, no trailing dot, no port
 * @param path   canonical decoded path: starts with '/', no dot segments, no '//'
 * @param source the client address (the socket peer, or the right-most untrusted X-Forwarded-For hop when the peer
 *               is a trusted proxy), or null when it is unknown, which only the simulator does: an unknown source is
 *               in no network, so a rule restricted to networks never matches it
 * @param paths  how the upstream of the route that serves the request reads paths (the route's {@code paths}): the
 *               route is chosen before the policy, and on a case-insensitive route the policy compares paths
 *               without case and refuses {@link WindowsPathAliases} (SECURITY-RULES 22)
 */
public record AccessRequest(String method, String host, String path, InetAddress source, UpstreamPaths paths) {
    public AccessRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(paths, "paths");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("AccessRequest: path must be canonical and start with '/'");
        }
    }
}
