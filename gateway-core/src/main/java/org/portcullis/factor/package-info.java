/**
 * Second factors at rest (docs/totp.md): the TOTP authenticators of each user ({@link
 * org.portcullis.factor.TotpCredentials}, secrets only as AES-256-GCM envelopes in {@code encrypted_secrets}) and the
 * durable step ledger that lets each TOTP time step be used once per user ({@link
 * org.portcullis.factor.SqliteStepLedger}). Every method blocks on the store: call it on a storage thread.
 */
package org.portcullis.factor;
