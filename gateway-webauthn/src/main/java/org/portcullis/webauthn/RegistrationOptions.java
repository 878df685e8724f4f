package org.portcullis.webauthn;

import com.webauthn4j.data.PublicKeyCredentialCreationOptions;

/**
 * What the portal passes to {@code navigator.credentials.create({publicKey})}.
 *
 * @param publicKey the options as webauthn4j's model
 * @param json      the same, serialised as JSON with binary fields in base64url (the shape of
 *                  {@code PublicKeyCredentialCreationOptionsJSON}, W3C WebAuthn Level 3 §5.1.1.2)
 */
public record RegistrationOptions(PublicKeyCredentialCreationOptions publicKey, String json) {
}
