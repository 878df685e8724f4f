/**
 * Accounts from Active Directory or another LDAP directory ({@code users.ldap}, docs/ldap.md): the connection pool
 * with failover and verified TLS ({@link org.portcullis.directory.LdapConnections}), the searches, binds and group
 * lookups ({@link org.portcullis.directory.LdapAccounts}), and the
 * {@link org.portcullis.directory.LdapUserDirectory} that puts them behind the same
 * {@link org.portcullis.identity.UserDirectory} and {@link org.portcullis.identity.PasswordDirectory} seams the
 * sign-in and the policy already use. No Netty here.
 */
package org.portcullis.directory;
