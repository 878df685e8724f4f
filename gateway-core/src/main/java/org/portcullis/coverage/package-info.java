/**
 * MFA coverage: which rule guards each protected system (route, remote desktop, TCP target) with what factors and
 * strength and under which exception, and whether a system's own address answers from here around the gateway.
 */
package org.portcullis.coverage;
