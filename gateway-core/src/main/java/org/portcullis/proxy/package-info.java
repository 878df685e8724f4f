/**
 * Forwards admitted canonical requests to upstreams and relays the answers: pooled keep-alive connections, streamed
 * bodies with backpressure, strict response framing, and WebSocket tunnels that open only after a valid 101.
 */
package org.portcullis.proxy;
