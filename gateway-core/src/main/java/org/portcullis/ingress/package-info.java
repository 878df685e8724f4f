/**
 * The strict front door: turns what the HTTP/1 decoder parsed into one {@link org.portcullis.ingress.CanonicalRequest},
 * or a refusal with a {@link org.portcullis.ingress.RejectReason}. Ambiguous input is rejected, never repaired.
 */
package org.portcullis.ingress;
