package org.portcullis.webauthn;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One registered credential (W3C WebAuthn §4 "credential record").
 *
 * @param credentialId base64url of the credential id; unique across all users
 * @param user         the gateway user name that owns it
 * @param userHandle   base64url of the owner's user handle
 * @param publicKeyCose the credential public key as a COSE_Key (RFC 9052 §7), CBOR-encoded
 * @param signCount    the last signature counter seen
 * @param aaguid       the authenticator model as claimed at registration
 * @param name         a label the user chose ("blue key")
 * @param disabled     true after a clone signal until an admin re-enables it
 * @param created      when it was registered
 * @param lastUsed     last successful authentication, or null
 */
public record CredentialRecord(
        String credentialId,
        String user,
        String userHandle,
        byte[] publicKeyCose,
        long signCount,
        UUID aaguid,
        String name,
        boolean disabled,
        Instant created,
        Instant lastUsed) {

    public CredentialRecord {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(userHandle, "userHandle");
        Objects.requireNonNull(aaguid, "aaguid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        publicKeyCose = Objects.requireNonNull(publicKeyCose, "publicKeyCose").clone();
    }

    @Override
    public byte[] publicKeyCose() {
        return publicKeyCose.clone();
    }

    public Optional<Instant> lastUsedAt() {
        return Optional.ofNullable(lastUsed);
    }

    public CredentialRecord withUse(long newSignCount, Instant when) {
        return new CredentialRecord(credentialId, user, userHandle, publicKeyCose, newSignCount, aaguid, name, disabled,
                created, when);
    }

    public CredentialRecord withDisabled(boolean value) {
        return new CredentialRecord(credentialId, user, userHandle, publicKeyCose, signCount, aaguid, name, value,
                created, lastUsed);
    }

    /** No key material: the public key is not secret, but logs have no use for it either. */
    @Override
    public String toString() {
        return "CredentialRecord[credentialId=" + credentialId + ", user=" + user + ", signCount=" + signCount
                + ", aaguid=" + aaguid + ", name=" + name + ", disabled=" + disabled + ", created=" + created
                + ", lastUsed=" + lastUsed + "]";
    }
}
