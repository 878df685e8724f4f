/**
 * The request path on one client connection: {@link org.portcullis.proxy.FrontendHandler} admits each request and
 * forwards it (streamed bodies with backpressure, response header filtering, WebSocket tunnels that open only after a
 * valid 101) over a connection from the upstream pools, serves the portal, or refuses. {@link
 * org.portcullis.proxy.GatewayRuntime} is the process-wide state every connection reads (the current snapshot, the
 * pools, the per-address connection counts, the refusal log); client timeouts and the access log live here too.
 */
package org.portcullis.proxy;
