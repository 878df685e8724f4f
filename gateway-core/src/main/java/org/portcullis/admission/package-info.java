/**
 * The stages of a request, in order, as one list ({@link org.portcullis.admission.AdmissionPipeline}): canonicalise,
 * destination, route limits, session, portal, policy, identity. Each stage is a small class with one job; the result
 * is one {@link org.portcullis.admission.Admission}: forward exactly this head, serve the portal, challenge, or refuse.
 */
package org.portcullis.admission;
