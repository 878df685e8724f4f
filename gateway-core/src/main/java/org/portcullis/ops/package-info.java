/**
 * Running Portcullis like infrastructure (issue 19): the metrics ({@link org.portcullis.ops.GatewayMetrics}, fed from
 * where events already flow: the request journal, the audit trail, the store), the health checks
 * ({@link org.portcullis.ops.Readiness}) and the admin listener that serves both ({@link org.portcullis.ops.AdminServer}).
 * Nothing here names a user, a client address or a secret: tags are route names from the config and closed sets of
 * codes. See docs/operations.md.
 */
package org.portcullis.ops;
