/** Watching files the gateway reads (config, referenced files, users file) so that a change reloads them. */
package org.portcullis.watch;
