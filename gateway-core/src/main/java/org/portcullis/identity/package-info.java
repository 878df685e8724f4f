/**
 * Who the users are and the first factor: the {@link org.portcullis.identity.UserDirectory} seam (a users file
 * today, LDAP / Active Directory later), Argon2id password hashing on a bounded pool off the event loop, and the
 * {@link org.portcullis.identity.FirstFactorVerifier} that turns a login and a password into one outcome. No Netty;
 * see {@code docs/users.md}.
 */
package org.portcullis.identity;
