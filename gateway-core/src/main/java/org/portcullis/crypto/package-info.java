/**
 * Secrets at rest (docs/secrets-and-codes.md): {@link org.portcullis.crypto.EncryptionKey} (the
 * {@code storage.encryption_key}), {@link org.portcullis.crypto.SecretBox} (AES-256-GCM envelopes bound to a context),
 * {@link org.portcullis.crypto.EncryptedSecrets} (the {@code encrypted_secrets} table),
 * {@link org.portcullis.crypto.KeyCheck} (start-up check that the store and the configured key belong together) and
 * {@link org.portcullis.crypto.KeyRotation} ({@code portcullis storage rotate-key}).
 */
package org.portcullis.crypto;
