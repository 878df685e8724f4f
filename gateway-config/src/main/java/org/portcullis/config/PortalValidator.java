package org.portcullis.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code portal}: {@code url} is required; {@code branding} and each of its keys are optional (defaults from
 * {@link PortalBranding#defaults()}).
 *
 * <ul>
 *   <li>{@code url} is an origin: https, or plain http only on {@code localhost} / {@code 127.0.0.1} (a browser treats
 *       those as secure contexts, so {@code __Host-} cookies and WebAuthn work there for a demo). No user info (it
 *       would be a credential in every redirect), no path but {@code /}, no query, no fragment: the portal's paths
 *       are fixed under {@code /.portcullis/}.</li>
 *   <li>{@code branding.primary_colour} is {@code #rrggbb} with at least 4.5:1 contrast against the white text drawn
 *       on it (WCAG 2.1 SC 1.4.3, level AA); the message gives the computed ratio, rounded down, so a refused colour
 *       never shows as 4.50.</li>
 *   <li>{@code branding.logo} is a PNG, SVG or JPEG by its first bytes, at most {@value #MAX_LOGO_BYTES} bytes, read
 *       now and inlined as a {@code data:} URI; it is watched with the config, so a new logo reloads it.</li>
 *   <li>{@code help_contact} is one line of plain text, 1 to {@value PortalConfig#MAX_HELP_CONTACT_LENGTH}
 *       characters, no control characters.</li>
 *   <li>{@code organisation} and {@code support} are plain text with no control characters (the portal escapes them;
 *       this only keeps them to one sensible line, or a few for {@code support}).</li>
 * </ul>
 */
final class PortalValidator {
    static final String URL = "url";
    static final String BRANDING = "branding";
    static final String HELP_CONTACT = "help_contact";
    static final List<String> KEYS = List.of(URL, BRANDING, HELP_CONTACT);

    static final String ORGANISATION = "organisation";
    static final String LOGO = "logo";
    static final String PRIMARY_COLOUR = "primary_colour";
    static final String SUPPORT = "support";
    static final List<String> BRANDING_KEYS = List.of(ORGANISATION, LOGO, PRIMARY_COLOUR, SUPPORT);

    static final long MAX_LOGO_BYTES = 256 * 1024;
    private static final List<String> LOCAL_HTTP_HOSTS = List.of("localhost", "127.0.0.1");
    private static final int HTTPS_PORT = 443;
    private static final int HTTP_PORT = 80;

    private final NodeReader reader;

    PortalValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<PortalConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<URI> url = view.get().require(URL).flatMap(this::url);
        Optional<YamlNode> brandingNode = view.get().get(BRANDING);
        Optional<PortalBranding> branding = brandingNode.isPresent()
                ? brandingNode.flatMap(this::branding) : Optional.of(PortalBranding.defaults());
        int before = reader.problems().errorCount();
        Optional<String> helpContact = view.get().get(HELP_CONTACT).flatMap(this::helpContact);
        if (url.isEmpty() || branding.isEmpty() || reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new PortalConfig(url.get(), branding.get(), helpContact));
    }

    private Optional<PortalBranding> branding(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, BRANDING_KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        int before = reader.problems().errorCount();
        PortalBranding defaults = PortalBranding.defaults();
        MappingView branding = view.get();
        String organisation = branding.get(ORGANISATION).flatMap(this::organisation)
                .orElse(defaults.organisation());
        Optional<PortalLogo> logo = branding.get(LOGO).flatMap(this::logo);
        RgbColour colour = branding.get(PRIMARY_COLOUR).flatMap(this::primaryColour)
                .orElse(defaults.primaryColour());
        Optional<String> support = branding.get(SUPPORT).flatMap(this::support);
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new PortalBranding(organisation, logo, colour, support));
    }

    // --- url ---------------------------------------------------------------------------------------------------

    private Optional<URI> url(YamlNode node) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text.get());
        } catch (URISyntaxException e) {
            return rejectUrl(node, "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(UrlSyntax.HTTP) && !scheme.equals(UrlSyntax.HTTPS)) {
            return rejectUrl(node, "the scheme must be https");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            return rejectUrl(node, "it has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return rejectUrl(node, "user info is not allowed");
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || !HostSyntax.isHost(host)) {
            return rejectUrl(node, "the host is not a DNS name or IP address");
        }
        if (scheme.equals(UrlSyntax.HTTP) && !LOCAL_HTTP_HOSTS.contains(host)) {
            return rejectUrl(node, "http is only allowed for localhost or 127.0.0.1");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return rejectUrl(node, "the port must be 1 to 65535");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            return rejectUrl(node, "a path is not allowed");
        }
        if (uri.getRawQuery() != null) {
            return rejectUrl(node, "a query is not allowed");
        }
        if (uri.getRawFragment() != null) {
            return rejectUrl(node, "a fragment is not allowed");
        }
        int defaultPort = scheme.equals(UrlSyntax.HTTPS) ? HTTPS_PORT : HTTP_PORT;
        String port = uri.getPort() == -1 || uri.getPort() == defaultPort ? "" : ":" + uri.getPort();
        return Optional.of(URI.create(scheme + "://" + host + port));
    }

    private Optional<URI> rejectUrl(YamlNode node, String reason) {
        reader.problems().error(node, Messages.notPortalUrl(reader.show((YamlScalar) node), reason));
        return Optional.empty();
    }

    // --- branding ----------------------------------------------------------------------------------------------

    private Optional<String> organisation(YamlNode node) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (length(text.get()) > PortalBranding.MAX_ORGANISATION_LENGTH || hasControl(text.get(), false)) {
            reader.problems().error(node, Messages.notOrganisation(reader.show((YamlScalar) node),
                    PortalBranding.MAX_ORGANISATION_LENGTH));
            return Optional.empty();
        }
        return text;
    }

    private Optional<String> support(YamlNode node) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (length(text.get()) > PortalBranding.MAX_SUPPORT_LENGTH || hasControl(text.get(), true)) {
            reader.problems().error(node, Messages.notSupportText(reader.show((YamlScalar) node),
                    PortalBranding.MAX_SUPPORT_LENGTH));
            return Optional.empty();
        }
        return text;
    }

    /** One line of plain text: the pages show it inside a "Need help?" sentence, escaped. */
    private Optional<String> helpContact(YamlNode node) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.get().isBlank() || length(text.get()) > PortalConfig.MAX_HELP_CONTACT_LENGTH
                || hasControl(text.get(), false)) {
            reader.problems().error(node, Messages.notHelpContact(reader.show((YamlScalar) node),
                    PortalConfig.MAX_HELP_CONTACT_LENGTH));
            return Optional.empty();
        }
        return Optional.of(text.get().strip());
    }

    private Optional<RgbColour> primaryColour(YamlNode node) {
        Optional<RgbColour> colour = reader.parsed(node, RgbColour::parse, Messages::notColour);
        if (colour.isEmpty()) {
            return Optional.empty();
        }
        double ratio = colour.get().contrastWith(RgbColour.WHITE);
        if (ratio < RgbColour.AA_NORMAL_TEXT) {
            reader.problems().error(node, Messages.lowContrast(reader.show((YamlScalar) node), roundedDown(ratio)));
            return Optional.empty();
        }
        return colour;
    }

    private Optional<PortalLogo> logo(YamlNode node) {
        Optional<Path> file = reader.readableFile(node);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String shown = reader.show((YamlScalar) node);
        try {
            long size = Files.size(file.get());
            if (size > MAX_LOGO_BYTES) {
                reader.problems().error(node, Messages.logoTooLarge(shown, size));
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file.get());
            if (bytes.length > MAX_LOGO_BYTES) { // grew between the two reads
                reader.problems().error(node, Messages.logoTooLarge(shown, bytes.length));
                return Optional.empty();
            }
            Optional<String> mediaType = ImageSniffer.mediaType(bytes);
            if (mediaType.isEmpty()) {
                reader.problems().error(node, Messages.notLogoImage(shown));
                return Optional.empty();
            }
            return Optional.of(new PortalLogo(file.get(), mediaType.get(),
                    Base64.getEncoder().encodeToString(bytes)));
        } catch (IOException e) {
            reader.problems().error(node, Messages.fileNotReadable(shown, FileChecks.describe(e)));
            return Optional.empty();
        }
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Control characters (Unicode Cc) and line/paragraph separators; {@code \n} only when {@code lineBreaks}. */
    private static boolean hasControl(String text, boolean lineBreaks) {
        return text.codePoints().anyMatch(c -> !(lineBreaks && c == '\n')
                && (Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR));
    }

    /** Two decimals, rounded down: 4.4999 shows as 4.49, never as a passing-looking 4.50. */
    static String roundedDown(double ratio) {
        return String.format(Locale.ROOT, "%.2f", Math.floor(ratio * 100) / 100);
    }
}
