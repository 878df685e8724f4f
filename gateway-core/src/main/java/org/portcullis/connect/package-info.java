/**
 * The client of {@code portcullis connect} (issue 17), which runs on a user's computer: a local listener on a loopback
 * address; every connection to it travels in its own WebSocket over HTTPS to the gateway's tunnel endpoint, which
 * connects it to the {@code tcp_targets} entry the user named. Sign-in goes through the system browser and the
 * portal's normal two-factor sign-in, back to a loopback redirect with PKCE ({@link org.portcullis.connect.LoopbackSignIn});
 * the token is kept in memory only ({@link org.portcullis.connect.Tokens}) and a refused token starts the sign-in again.
 * Plain JDK sockets (no Netty), so the gateway's WebSocket endpoint is exercised by a client that shares none of its
 * code. Depends on nothing else of the gateway.
 */
package org.portcullis.connect;
