/**
 * Brute-force regulation of sign-in factors (SECURITY-RULES 13 and 18, NIST SP 800-63B §5.2.2): failure counters per
 * canonical account and per source address, shared by every session and gateway thread through the embedded store,
 * that lock a subject for a while after a burst of failures and lock an account until an admin unlocks it after
 * {@link org.portcullis.regulation.RegulationSettings#MAX_CONSECUTIVE_FAILURES_CAP} consecutive failures. The
 * {@link org.portcullis.regulation.Regulator} is consulted before any password hash is computed. See
 * docs/regulation.md.
 */
package org.portcullis.regulation;
