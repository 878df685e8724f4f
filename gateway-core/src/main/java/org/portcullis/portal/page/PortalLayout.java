package org.portcullis.portal.page;

import static org.portcullis.portal.page.Html.escape;

import java.util.Objects;

import org.portcullis.config.PortalBranding;

/**
 * The frame every portal page shares: {@code <html lang="en">}, a viewport for phones, the one inline stylesheet,
 * a header with the organisation's name and logo on the primary colour, the page's content in a {@code <main>}
 * landmark, and the support text in the footer. No script element, no {@code style} attribute (the CSP would block
 * it), no external resource.
 *
 * <p>The markup is also well-formed XML (void elements closed with {@code />}, attributes quoted, boolean attributes
 * written {@code x=""}), which browsers accept as HTML and which lets the tests parse every page strictly.
 */
public final class PortalLayout {
    private static final String TITLE_SEPARATOR = " \u2013 ";

    private final PortalBranding branding;
    private final PortalStylesheet stylesheet;
    private final String header;
    private final String footer;

    public PortalLayout(PortalBranding branding, PortalStylesheet stylesheet) {
        this.branding = Objects.requireNonNull(branding, "branding");
        this.stylesheet = Objects.requireNonNull(stylesheet, "stylesheet");
        this.header = header(branding);
        this.footer = branding.support()
                .map(s -> "<footer><p class=\"support\">" + escape(s) + "</p></footer>\n")
                .orElse("");
    }

    /**
     * A whole page.
     *
     * @param title   plain text; escaped here
     * @param content markup built by this package, every dynamic value already through {@link Html#escape}
     */
    public PortalPage page(int status, String title, String content) {
        StringBuilder html = new StringBuilder(2048 + stylesheet.text().length() + content.length() + header.length());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"robots\" content=\"noindex, nofollow\"/>\n")
                .append("<title>").append(escape(title)).append(TITLE_SEPARATOR)
                .append(escape(branding.organisation())).append("</title>\n")
                .append("<style>").append(stylesheet.text()).append("</style>\n")
                .append("</head>\n<body>\n")
                .append(header)
                .append("<main id=\"main\"><div class=\"card\">\n").append(content).append("</div></main>\n")
                .append(footer)
                .append("</body>\n</html>\n");
        return new PortalPage(status, html.toString());
    }

    private static String header(PortalBranding branding) {
        String organisation = escape(branding.organisation());
        String logo = branding.logo()
                .map(l -> "<img src=\"" + escape(l.dataUri()) + "\" alt=\"" + organisation + " logo\"/>")
                .orElse("");
        return "<header>" + logo + "<p class=\"organisation\">" + organisation + "</p></header>\n";
    }
}
