/**
 * Bootstrap of the gateway: listeners, the one pipeline initializer, the per-address connection limit, HSTS, the
 * store at start-up, and config reloads that build and publish new snapshots. The composition root: it wires the
 * other packages, and only the command line ({@code cli}) depends on it.
 */
package org.portcullis.server;
