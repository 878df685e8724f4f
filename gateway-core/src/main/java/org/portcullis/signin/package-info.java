/**
 * Sign-in at run time: the services the portal and the admission share (sessions, lockout, the first factor, the
 * user directory) and the per-request step that turns the gateway's cookie into an {@link
 * org.portcullis.policy.AuthState}. Everything here that touches the store runs on a storage thread, never on an
 * event loop.
 */
package org.portcullis.signin;
