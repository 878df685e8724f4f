/**
 * Runs one decoded request through the gateway's decisions in flow order: canonical request, route, policy. The
 * result is a {@link org.portcullis.admission.Admission}: forward exactly this canonical request, or refuse.
 */
package org.portcullis.admission;
