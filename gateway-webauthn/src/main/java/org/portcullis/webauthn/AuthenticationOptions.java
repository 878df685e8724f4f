package org.portcullis.webauthn;

import com.webauthn4j.data.PublicKeyCredentialRequestOptions;

/**
 * What the portal passes to {@code navigator.credentials.get({publicKey})}.
 *
 * @param publicKey the options as webauthn4j's model
 * @param json      the same, serialised as JSON with binary fields in base64url
 */
public record AuthenticationOptions(PublicKeyCredentialRequestOptions publicKey, String json) {
}
