/**
 * Connections to upstreams: per-loop keep-alive pools keyed by origin ({@link org.portcullis.pool.UpstreamPools}),
 * strict response framing on each connection, upstream TLS, connections with a connection-bound login held by their
 * client connection only ({@link org.portcullis.pool.PinnedUpstreams}, SECURITY-RULES 21), and the event-loop
 * {@link org.portcullis.pool.Transport} the listeners share. The proxy drives these connections; nothing here knows
 * about requests, sessions or policy.
 */
package org.portcullis.pool;
