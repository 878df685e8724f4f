/**
 * Sign-in at run time: the per-request step that turns the gateway's cookie into an {@link
 * org.portcullis.policy.AuthState} ({@link org.portcullis.signin.RequestSessions}, {@link
 * org.portcullis.signin.SessionResolver}), the gate sign-ins take turns at, and the live tunnels of signed-in sessions,
 * cut when their session ends. The parts are built once at start by {@code server.SignInAssembly}. Everything here
 * that touches the store runs on a storage thread, never on an event loop.
 */
package org.portcullis.signin;
