/** Bootstrap of the gateway: transports, listeners, TLS, the one pipeline initializer, and config snapshots. */
package org.portcullis.server;
