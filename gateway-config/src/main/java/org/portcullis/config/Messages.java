package org.portcullis.config;

import java.util.List;

/**
 * Every config error and warning text, in one place so that they stay consistent and docs/configuration.md can list
 * them. The style is {@code <what is wrong> (allowed: <what is allowed>)}. {@code value} arguments are already
 * rendered by {@link ValueDisplay} (quoted, escaped, or redacted), so no method here ever sees a secret.
 */
final class Messages {
    static final String PATH_FILE = "(file)";
    static final String PATH_YAML = "(yaml)";
    static final String PATH_ROOT = "(root)";

    static final String POLICIES = "bypass, one_factor, two_factor, deny";
    static final String FACTORS = "totp, webauthn";
    private static final String PATH_CHARS = "no '..', '//', '%', '?', '#', ';', '\\', spaces or control characters";

    private Messages() {
    }

    // --- file and YAML structure -------------------------------------------------------------------------------

    static String cannotRead(String reason) {
        return "cannot read: " + reason;
    }

    static String syntaxError(String detail) {
        return "syntax error: " + detail;
    }

    static String moreThanOneDocument() {
        return "more than one YAML document (allowed: exactly one)";
    }

    static String aliasNotSupported() {
        return "YAML aliases are not supported (allowed: write the value out)";
    }

    static String duplicateKey(int firstLine) {
        return "duplicate key (first defined on line " + firstLine + ")";
    }

    static String unknownKey(String suggestion) {
        return "unknown key (did you mean '" + suggestion + "'?)";
    }

    static String unknownKey(List<String> allowed) {
        return "unknown key (allowed: " + String.join(", ", allowed) + ")";
    }

    static String missing() {
        return "missing (required)";
    }

    static String wrongType(String expected, String actual) {
        return "must be " + expected + ", not " + actual;
    }

    static String emptyList() {
        return "is an empty list (allowed: at least one item, or leave the key out)";
    }

    static String emptyString() {
        return "is empty (allowed: a non-empty value)";
    }

    // --- references --------------------------------------------------------------------------------------------

    static String envNotSet(String name) {
        return "${env:" + name + "} is not set";
    }

    static String fileReferenceNotAbsolute(String path) {
        return "${file:" + path + "} is not an absolute path";
    }

    static String fileReferenceUnreadable(String path, String reason) {
        return "${file:" + path + "} cannot be read (" + reason + ")";
    }

    static String badReference(String value) {
        return value + " is not a reference (allowed: the whole value ${env:NAME} or ${file:/absolute/path})";
    }

    // --- scalar values -----------------------------------------------------------------------------------------

    static String notPositiveInteger(String value) {
        return value + " is not a positive integer (allowed: 1 to " + Integer.MAX_VALUE + ")";
    }

    static String firstFactorOnlyEnrolment() {
        return "true lets a password alone enrol a second factor (a stolen password becomes a stolen account);"
                + " only for closed test environments";
    }

    static String notBoolean(String value) {
        return value + " is not a boolean (allowed: true, false)";
    }

    static String notDuration(String value) {
        return value + " is not a duration (allowed: a positive whole number with ms, s, m, h or d, e.g. 10s)";
    }

    static String notSize(String value) {
        return value + " is not a size (allowed: a number of bytes, optionally with B, KiB, MiB or GiB, e.g. 10MiB)";
    }

    static String fileNotReadable(String value, String reason) {
        return value + " is not a readable file (" + reason + ")";
    }

    static String fileNotWritable(String value, String reason) {
        return value + " is not a writable file (" + reason + ")";
    }

    static String notCidr(String value, String reason) {
        return value + " is not a CIDR: " + reason;
    }

    static String alreadyUsed(String value, String firstPath) {
        return value + " is already used by " + firstPath;
    }

    // --- server ------------------------------------------------------------------------------------------------

    static String notListenAddress(String value) {
        return value + " is not a listen address (allowed: IPv4:PORT, [IPv6]:PORT or localhost:PORT, port 0 to 65535, e.g. 0.0.0.0:8443)";
    }

    static String adminOnPublicListener(String address, String listenerPath) {
        return "the admin listener " + address + " shares its address and port with " + listenerPath
                + " (allowed: a loopback or management address on a port of its own, e.g. 127.0.0.1:9464): metrics"
                + " and health answer without authentication and never go on a public listener";
    }

    static String adminNotLoopback(String address) {
        return "the admin listener " + address + " is not on loopback: whoever reaches that network can read the"
                + " metrics and health (no user names, addresses or secrets); use it on a management network only";
    }

    static String plainHttpNotAllowed(String address) {
        return "plain HTTP on non-loopback address " + address
                + " (allowed: add tls, or set allow_plain_http: true behind a TLS-terminating proxy)";
    }

    static String plainHttpFlagWithTls() {
        return "only allowed on a listener without tls";
    }

    // --- routes ------------------------------------------------------------------------------------------------

    static String notName(String value, String what) {
        return value + " is not a " + what + " (allowed: a-z, 0-9, _ and -)";
    }

    static String notHost(String value) {
        return value + " is not a host (allowed: a DNS name, an IP address, [IPv6] or *.domain)";
    }

    static String notPathPrefix(String value) {
        return value + " is not a path prefix (allowed: starts with '/', " + PATH_CHARS + ")";
    }

    static String notUpstream(String value, String reason) {
        return value + " is not an upstream URL: " + reason + " (allowed: http://HOST[:PORT] or https://HOST[:PORT])";
    }

    static String caBundleNeedsHttps() {
        return "only allowed with an https upstream";
    }

    static String notOrigin(String value) {
        return value + " is not an origin (allowed: http or https scheme://host[:port], e.g. https://records.example.org)";
    }

    static String notUpstreamPaths(String value) {
        return value + " is not a paths setting (allowed: case_sensitive, case_insensitive)";
    }

    static String routeOverlap(String route, String otherRoute, String otherPath) {
        return "route '" + route + "' has the same host and path_prefix as route '" + otherRoute + "' (" + otherPath + ")";
    }

    static String notIdentityHeaders(String value) {
        return value + " is not an identity_headers setting (allowed: remote, x_forwarded, none, or a mapping of "
                + "user, groups, name and email to header names)";
    }

    static String noIdentityHeaderKeys() {
        return "is an empty mapping (allowed: at least one of user, groups, name, email; or write none)";
    }

    static String notHeaderName(String value) {
        return value + " is not a header name (allowed: an RFC 9110 token of letters, digits and !#$%&'*+-.^_`|~)";
    }

    static String reservedHeaderName(String value) {
        return value + " is reserved (allowed: a name that is not a framing, hop-by-hop, credential, forwarding, "
                + "URL-override or Sec- header, in any spelling)";
    }

    static String notJwtSetting(String value) {
        return value + " is not a jwt setting (allowed: true, false, or a mapping with header and lifetime)";
    }

    static String jwtNeedsSigningKey() {
        return "needs a signing key (allowed: set identity.signing_key, or configure storage so that the gateway "
                + "generates one and keeps it there)";
    }

    // --- access control ----------------------------------------------------------------------------------------

    static String notPolicy(String value) {
        return value + " is not a policy (allowed: " + POLICIES + ")";
    }

    static String notRulePath(String value) {
        return value + " is not a rule path (allowed: starts with '/', a segment may be * or **, " + PATH_CHARS + ")";
    }

    static String notMethod(String value) {
        return value + " is not an HTTP method (allowed: a token such as GET or POST)";
    }

    static String notNetwork(String value, List<String> definedNames) {
        String names = definedNames.isEmpty() ? "no networks are defined" : String.join(", ", definedNames);
        return value + " is neither a network name nor a CIDR (allowed: a CIDR or a name under networks: " + names + ")";
    }

    static String notSubject(String value) {
        return value + " is not a subject (allowed: user:NAME or group:NAME)";
    }

    static String notFactor(String value) {
        return value + " is not a second factor (allowed: " + FACTORS + ")";
    }

    static String onlyWithTwoFactor(String policy) {
        return "only allowed with policy two_factor (policy is " + policy + ")";
    }

    static String subjectsWithBypass() {
        return "not allowed with policy bypass (bypass lets everyone through without identifying them)";
    }

    static String rulePathCaseVariant(String path, String otherPath, String otherNodePath, String route) {
        return "path '" + path + "' differs from '" + otherPath + "' (" + otherNodePath + ") only by case: on route '"
                + route + "' (paths: case_insensitive) both match the same requests, and the earlier rule decides";
    }

    static String rulePathCaseNeverMatters(String path, List<String> routes) {
        return "path '" + path + "' has upper-case letters, but every route it applies to (" + String.join(", ", routes)
                + ") has paths: case_insensitive, where case never matters (write it in lower case)";
    }

    static String sharedUpstreamCaseSensitive(String route, String otherRoute, String otherPath) {
        return "route '" + route + "' sends to the same upstream as route '" + otherRoute + "' (" + otherPath
                + "), which has paths: case_insensitive; through this route /ADMIN is not /admin to the rules"
                + " (set paths: case_insensitive here too if the upstream ignores case)";
    }

    static String ruleShadowed(String rule, String earlierRule, String earlierPath) {
        return rule + " can never match: " + earlierRule + " (" + earlierPath
                + ") comes first and matches every request it would";
    }

    // --- identity ----------------------------------------------------------------------------------------------

    static String notIssuer(String value) {
        return value + " is not an issuer (allowed: an http or https URL without user info, query or fragment, "
                + "or a name of letters, digits, '.', '_' and '-')";
    }

    /** {@code redacted} is always {@link ValueDisplay#redacted}: a private key is never shown. */
    static String notSigningKey(String redacted, String reason) {
        return redacted + " is not a PKCS#8 PEM P-256 private key: " + reason + " (allowed: the output of "
                + "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)";
    }

    // --- totp --------------------------------------------------------------------------------------------------

    static String notTotpAlgorithm(String value) {
        return value + " is not a TOTP algorithm (allowed: SHA1, SHA256, SHA512)";
    }

    static String notTotpDigits(String value) {
        return value + " is not a number of TOTP digits (allowed: 6, 8)";
    }

    static String notTotpPeriod(String value) {
        return value + " is not a TOTP period (allowed: whole seconds from 15s to 120s, e.g. 30s)";
    }

    static String notTotpWindow(String value) {
        return value + " is not a TOTP window (allowed: 0, 1 steps either side of the current one)";
    }

    // --- range -------------------------------------------------------------------------------------------------

    static String outOfRange(String value, int min, int max) {
        return outOfRange(value, String.valueOf(min), String.valueOf(max));
    }

    static String outOfRange(String value, String min, String max) {
        return value + " is out of range (allowed: " + min + " to " + max + ")";
    }

    // --- storage, sessions, lockout ----------------------------------------------------------------------------

    static String notDataDirectory(String value, String reason) {
        return value + " is not a usable data directory (" + reason
                + "; allowed: an existing directory, or a new one whose parent exists)";
    }

    /** {@code redacted} is always {@link ValueDisplay#redacted}: a key is never shown, not even a wrong one. */
    static String notEncryptionKey(String redacted) {
        return redacted + " is not a 32-byte key (allowed: 32 random bytes as base64, base64url or 64 hex digits)";
    }

    static String notAuditRotation(String value) {
        return value + " is not a rotation (allowed: daily, size, never)";
    }

    static String notAuditFlush(String value) {
        return value + " is not a flush mode (allowed: every_event, interval)";
    }

    static String notSyslogAddress(String value) {
        return value + " is not a syslog address (allowed: HOST:PORT with a DNS name, IPv4 or [IPv6] and a port 1 to "
                + "65535, e.g. siem.example.org:6514)";
    }

    static String notSyslogAppName(String value) {
        return value + " is not an app name (allowed: 1 to 48 printable ASCII characters, no spaces, e.g. portcullis)";
    }

    static String notAccessLogFormat(String value) {
        return value + " is not an access log format (allowed: text, json)";
    }

    static String onlyWithAccessLogFile() {
        return "only allowed with file (stderr is not rotated)";
    }

    static String onlyWithSetting(String key, String value) {
        return "only allowed with " + key + ": " + value;
    }

    /** {@code redacted} is always {@link ValueDisplay#redacted}. */
    static String sameKeyAsStorage(String redacted) {
        return redacted + " is the same key as storage.encryption_key (allowed: a separate key, so that whoever "
                + "holds one cannot forge or read with the other)";
    }

    static String idleLongerThanAbsolute(String idle, String absolute) {
        return "idle_timeout (" + idle + ") is longer than absolute_timeout (" + absolute
                + ") (allowed: at most absolute_timeout)";
    }

    static String moreThanConsecutive(int maxFailures, int maxConsecutive) {
        return "max_failures (" + maxFailures + ") is more than max_consecutive_failures (" + maxConsecutive
                + ") (allowed: at most max_consecutive_failures)";
    }

    // --- portal ------------------------------------------------------------------------------------------------

    static final String PORTAL_URLS = "https://HOST[:PORT], or http://localhost[:PORT] or http://127.0.0.1[:PORT]"
            + " for local use";
    static final String LOGO_FILES = "a PNG, SVG or JPEG file of at most 256 KiB";

    static String notPortalUrl(String value, String reason) {
        return value + " is not a portal URL: " + reason + " (allowed: " + PORTAL_URLS + ")";
    }

    static String notOrganisation(String value, int maxLength) {
        return value + " is not an organisation name (allowed: 1 to " + maxLength
                + " characters, no control characters)";
    }

    static String notSupportText(String value, int maxLength) {
        return value + " is not a support text (allowed: at most " + maxLength
                + " characters, no control characters other than line breaks)";
    }

    static String notHelpContact(String value, int maxLength) {
        return value + " is not a help contact (allowed: one line of 1 to " + maxLength
                + " characters, no control characters, e.g. 'IT service desk: 0123 456 7890')";
    }

    static String notColour(String value) {
        return value + " is not a colour (allowed: #rrggbb, e.g. #005eb8)";
    }

    static String lowContrast(String value, String ratio) {
        return value + " has a contrast ratio of " + ratio + ":1 with white text (allowed: at least 4.5:1,"
                + " WCAG 2.1 AA, e.g. #005eb8)";
    }

    static String logoTooLarge(String value, long size) {
        return value + " is larger than 256 KiB (" + size + " bytes) (allowed: " + LOGO_FILES + ")";
    }

    static String notLogoImage(String value) {
        return value + " is not a PNG, SVG or JPEG image (allowed: " + LOGO_FILES + ")";
    }

    static String signInWithoutPortal(int moreRules) {
        return "this policy needs a sign-in, but there is no portal section (nor users): every browser it applies to"
                + " meets a sign-in it cannot complete" + (moreRules == 0 ? "" : " (" + moreRules
                + " more " + (moreRules == 1 ? "asks" : "ask") + " for one too)")
                + " (allowed: add portal, users and storage sections, or use bypass or deny)";
    }

    static String portalNeeds(String section) {
        return "the portal needs a '" + section + "' section (allowed: add " + section + ", or remove portal)";
    }

    static String notTransport(String value) {
        return value + " is not a transport (allowed: auto, epoll, io_uring, nio)";
    }

    static String notTlsProvider(String value) {
        return value + " is not a TLS provider (allowed: auto, openssl, jdk)";
    }

    // --- webauthn ----------------------------------------------------------------------------------------------

    static String webauthnNeedsPortal() {
        return "webauthn needs a 'portal' section: the relying party is the portal (allowed: add portal, or remove"
                + " webauthn)";
    }

    static String notRpId(String value) {
        return value + " is not an RP ID (allowed: a DNS name, the portal's host or a domain it is in, e.g."
                + " example.org)";
    }

    static String rpIdNotPortalDomain(String value, String portalHost) {
        return value + " is not the portal's host " + portalHost + " or a domain it is in (allowed: " + portalHost
                + " or a suffix of it at a dot; browsers refuse any other RP ID)";
    }

    static String notRpName(String value, int maxLength) {
        return value + " is not a relying party name (allowed: 1 to " + maxLength
                + " characters, no control characters)";
    }

    static String notWebAuthnOrigin(String value) {
        return value + " is not an origin (allowed: https://HOST[:PORT], or http://localhost[:PORT] for local use)";
    }

    static String originOutsideRpId(String value, String rpId) {
        return value + " is not within the RP ID " + rpId + " (allowed: an origin whose host is " + rpId
                + " or ends with ." + rpId + ")";
    }

    static String notAttestation(String value) {
        return value + " is not an attestation conveyance (allowed: none, direct)";
    }

    static String notAaguid(String value) {
        return value + " is not an AAGUID (allowed: a UUID, e.g. cb69481e-8ff7-4039-93ec-0a2729a154a8)";
    }

    static String aaguidsNeedDirect() {
        return "only allowed with attestation: direct (without an attestation statement the AAGUID is whatever the"
                + " authenticator claims)";
    }

    static String notUserVerification(String value) {
        return value + " is not a user verification requirement (allowed: preferred, required, discouraged)";
    }

    static String notAlgorithm(String value) {
        return value + " is not a credential algorithm (allowed: ES256, EdDSA, RS256)";
    }

    static String duplicateAlgorithm() {
        return "an algorithm is listed twice (allowed: each of ES256, EdDSA, RS256 at most once)";
    }

    // --- remote_desktops ----------------------------------------------------------------------------------------

    static String notRemoteDesktopAddress(String value) {
        return value + " is not the address of a remote desktop (allowed: HOST:PORT, e.g. 10.0.0.5:3389)";
    }

    static String remoteDesktopPortalHost(String value, String portalHost) {
        return value + " is not the portal's host (allowed: " + portalHost
                + ": desktops are published on the portal's host only)";
    }

    static String remoteDesktopNeedsSubjects() {
        return "a remote desktop needs 'subjects' or 'groups' (who may open it; nobody by default)";
    }

    static String remoteDesktopNeedsTwoFactor(String value) {
        return value + " is too weak for a remote desktop (allowed: two_factor; a desktop always needs two factors)";
    }

    static String notConsent(int max) {
        return "is not a consent text (allowed: 1 to " + max + " characters, no NUL)";
    }

    static String remoteDesktopsNeed(String section) {
        return "remote desktops need a '" + section + "' section (allowed: add " + section
                + ", or remove remote_desktops)";
    }

    // --- tcp_targets, ssh ---------------------------------------------------------------------------------------

    static String notTcpTargetAddress(String value) {
        return value + " is not the address of a TCP target (allowed: HOST:PORT, e.g. db01.internal:22)";
    }

    static String tcpTargetNeedsSubjects() {
        return "a TCP target needs 'subjects' or 'groups' (who may reach it; nobody by default)";
    }

    static String tcpTargetNeedsTwoFactor(String value) {
        return value + " is too weak for a TCP target (allowed: two_factor; a TCP target always needs two factors)";
    }

    static String tcpIdleLongerThanMax(String idle, String max) {
        return "idle_timeout (" + idle + ") is longer than max_duration (" + max + ") (allowed: at most max_duration)";
    }

    static String notHostKeyAlgorithm(String value) {
        return value + " is not a host key algorithm (allowed: ed25519, ecdsa-p256, rsa-3072)";
    }

    static String sectionNeeds(String section, String needed) {
        return section + " needs a '" + needed + "' section (allowed: add " + needed + ", or remove " + section + ")";
    }

    /** {@code audit.node_id} (issue 18). */
    static String notNodeId(String value) {
        return value + " is not a node id (allowed: 1 to 64 of A-Z a-z 0-9 . _ -)";
    }
}
