package org.portcullis.webauthn;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A gateway user as WebAuthn sees them.
 *
 * @param name       the gateway user name (never sent as the user handle)
 * @param userHandle base64url of a random, opaque handle (W3C WebAuthn §14.6.1: the handle must not reveal the
 *                   user name); stored once per user and reused for every credential of that user
 */
public record WebAuthnUser(String name, String userHandle) {

    /** 32 random bytes, within the 64-byte limit of W3C WebAuthn §5.4.3. */
    public static final int USER_HANDLE_BYTES = 32;

    public WebAuthnUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(userHandle, "userHandle");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
    }

    /** A user with a fresh random handle: call once per user and store the handle with the user. */
    public static WebAuthnUser withRandomHandle(String name, SecureRandom random) {
        byte[] handle = new byte[USER_HANDLE_BYTES];
        random.nextBytes(handle);
        return new WebAuthnUser(name, Base64.getUrlEncoder().withoutPadding().encodeToString(handle));
    }

    byte[] userHandleBytes() {
        return Base64.getUrlDecoder().decode(userHandle);
    }
}
