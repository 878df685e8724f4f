package org.portcullis.webauthn;

/** What a challenge was issued for; a registration challenge never completes an authentication and vice versa. */
public enum CeremonyPurpose {
    REGISTRATION,
    AUTHENTICATION
}
