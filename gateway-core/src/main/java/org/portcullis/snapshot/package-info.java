/**
 * The configuration a request is served under, built completely before it is published: {@link
 * org.portcullis.snapshot.GatewaySnapshot} holds the config records, the compiled routes and policy, the front door
 * for this config, the listeners' TLS contexts, each route's upstream pool and the portal's compiled site ({@link
 * org.portcullis.snapshot.PortalSite}). It sits at the bottom of the request path: admission, the portal, the proxy
 * and the server read it, and it depends on none of them (PackageCyclesTest checks this).
 */
package org.portcullis.snapshot;
