/** Chooses the route (upstream) for a canonical request: exact or wildcard host, then the longest path prefix. */
package org.portcullis.route;
