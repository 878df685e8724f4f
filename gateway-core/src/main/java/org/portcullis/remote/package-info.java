/**
 * The RD Gateway endpoint (MS-TSGU over HTTP and WebSocket, issue 16): {@link org.portcullis.remote.RdgGateway} takes
 * over a client connection admitted as {@link org.portcullis.admission.Admission.RemoteDesktop}, pairs the HTTP
 * transport's OUT and IN channels, and {@link org.portcullis.remote.RdgTunnel} runs one tunnel: the access token
 * decides user, session and desktop, the target comes from the config only, the stream is registered in {@link
 * org.portcullis.signin.LiveStreams} so that it ends with its session, and every opening, closing and refusal is
 * audited with exact byte counts. The packets themselves are {@code gateway-rdg}'s.
 */
package org.portcullis.remote;
