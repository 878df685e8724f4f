/**
 * The audit trail (SECURITY-RULES 20): every access decision, config reload and (later) admin command as one record,
 * written by an {@link org.portcullis.audit.AuditSink} off the event loop. Records hold only what an auditor needs to
 * reconstruct who did what from where; they have no field that could carry a password, code, cookie, token, query
 * string or header value, so none can be logged by mistake.
 */
package org.portcullis.audit;
