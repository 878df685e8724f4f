/** The {@code ./portcullis} command line: run, config validate, policy check, demo. */
package org.portcullis.cli;
