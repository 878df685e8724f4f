package org.portcullis.directory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.SSLSocketVerifier;

/**
 * After the TLS handshake (ldaps and StartTLS), the directory's certificate must name the host of the configured URL
 * (RFC 6125): an IP address URL needs that address among the certificate's IP subject alternative names; a host name
 * needs a DNS name that equals it, or a wildcard standing for exactly its first label ({@code *.corp.example} for
 * {@code dc1.corp.example}, never {@code *.example} for {@code a.corp.example}); the subject CN counts only when the
 * certificate has no DNS names at all. Only the configured text is compared: no DNS lookup, no reverse lookup (the
 * library's own verifier accepted a certificate for 127.0.0.1 at 127.0.0.2 here, apparently through the name a reverse
 * lookup gave).
 */
final class CertificateNameVerifier extends SSLSocketVerifier {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @Override
    public void verifySSLSocket(String host, int port, SSLSocket socket) throws LDAPException {
        Certificate[] chain;
        try {
            chain = socket.getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw refused(host, port, "no verified certificate");
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate) || !names(certificate, host)) {
            throw refused(host, port, "the certificate does not name " + host);
        }
    }

    static boolean names(X509Certificate certificate, String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        if (wanted.endsWith(".")) {
            wanted = wanted.substring(0, wanted.length() - 1);
        }
        boolean ip = isIpLiteral(wanted);
        boolean anyDnsName = false;
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    String value = String.valueOf(alternative.get(1));
                    if (type == IP_ADDRESS && ip && sameAddress(value, wanted)) {
                        return true;
                    }
                    if (type == DNS_NAME) {
                        anyDnsName = true;
                        if (!ip && dnsMatches(value, wanted)) {
                            return true;
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return !ip && !anyDnsName && commonNameMatches(certificate, wanted);
    }

    static boolean dnsMatches(String pattern, String host) {
        String name = pattern.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!name.startsWith("*.")) {
            return name.equals(host);
        }
        String rest = name.substring(2);
        int firstDot = host.indexOf('.');
        return rest.contains(".") && !rest.contains("*") && firstDot > 0 && host.substring(firstDot + 1).equals(rest);
    }

    private static boolean commonNameMatches(X509Certificate certificate, String host) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && dnsMatches(String.valueOf(rdn.getValue()), host)) {
                    return true;
                }
            }
        } catch (InvalidNameException e) {
            return false;
        }
        return false;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    /** Both are literals, so {@link InetAddress#getByName} parses them without a lookup. */
    private static boolean sameAddress(String a, String b) {
        if (!isIpLiteral(a.toLowerCase(Locale.ROOT))) {
            return false;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static LDAPException refused(String host, int port, String why) {
        return new LDAPException(ResultCode.CONNECT_ERROR, "TLS to " + host + ":" + port + " refused: " + why);
    }
}
