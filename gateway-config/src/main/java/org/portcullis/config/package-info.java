/** The gateway's configuration: immutable records read from YAML, and the loader that validates them. */
package org.portcullis.config;
