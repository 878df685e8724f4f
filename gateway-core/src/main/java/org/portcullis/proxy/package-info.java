/**
 * One client connection: {@link org.portcullis.proxy.FrontendHandler} keeps the order of requests, reading and
 * backpressure; {@link org.portcullis.proxy.RequestCycle} takes one request through the admission stages to the
 * exchange that serves it (forward, portal, refusal) and closes its record into the access log and the audit trail;
 * WebSocket tunnels open only after a valid 101. {@link org.portcullis.proxy.GatewayRuntime} is the wiring assembled
 * once at start.
 */
package org.portcullis.proxy;
