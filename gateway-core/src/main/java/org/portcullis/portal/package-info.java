/** What the gateway itself shows people: error and refusal pages (and, later, the sign-in portal). */
package org.portcullis.portal;
