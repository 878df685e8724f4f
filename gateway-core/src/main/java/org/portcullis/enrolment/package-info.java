/**
 * One-time codes for enrolment (docs/secrets-and-codes.md, SECURITY-RULES 15): admin-issued
 * {@link org.portcullis.enrolment.InvitationCodes invitation codes} that let a user without a second factor enrol
 * one, and {@link org.portcullis.enrolment.RecoveryCodes recovery codes} accepted in place of a second factor. Both
 * are random, shown once, stored only hashed, and redeemed atomically at most once.
 */
package org.portcullis.enrolment;
