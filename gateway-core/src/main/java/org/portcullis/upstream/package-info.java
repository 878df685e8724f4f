/**
 * What the gateway adds to a forwarded request to tell the upstream who the user is: identity headers with safe
 * values ({@link org.portcullis.upstream.IdentityHeaderWriter}) and an ES256-signed JWT assertion
 * ({@link org.portcullis.upstream.JwtSigner}) whose public key is published as a JWKS
 * ({@link org.portcullis.upstream.JwksDocument}); docs/upstream-identity.md is the page for upstream owners.
 */
package org.portcullis.upstream;
