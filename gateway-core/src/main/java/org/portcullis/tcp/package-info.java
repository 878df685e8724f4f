/**
 * The gateway's side of {@code portcullis connect} (issue 17): the one-time codes and session-bound tokens the portal
 * hands the command through its loopback sign-in ({@link org.portcullis.tcp.ConnectGrants}), the admission of one
 * tunnel request ({@link org.portcullis.tcp.TcpConnect}: a valid token, a session with two factors, a
 * {@code tcp_targets} entry the policy lets the user reach, named by the gateway's config only), and the relays that
 * carry raw TCP bytes in WebSocket binary frames between the command and the target, registered in the live-stream
 * registry so they end with their session. Depends on {@code signin}, {@code snapshot} and the config records; the
 * request path ({@code proxy}) and the portal ({@code portal.flow}) use it, never the reverse.
 */
package org.portcullis.tcp;
