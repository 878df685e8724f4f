package org.portcullis.webauthn;

import java.util.List;
import java.util.Optional;

/** Where credential records live. Implementations keep credential ids unique across all users. */
public interface CredentialRepository {

    Optional<CredentialRecord> findById(String credentialId);

    List<CredentialRecord> findByUser(String user);

    /**
     * Stores a new credential. Returns false, storing nothing, when the credential id is already registered to anyone
     * (W3C WebAuthn §7.1 step 26: a duplicate id must fail the registration).
     */
    boolean add(CredentialRecord record);

    /** Replaces the stored record with the same credential id; returns false if there is none. */
    boolean update(CredentialRecord record);
}
