package org.portcullis.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code portal.branding}: what makes the sign-in pages look like the organisation's own. Every key is optional; an
 * absent one takes its value from {@link #defaults()}.
 *
 * @param organisation  shown in the page header and title; 1 to {@value #MAX_ORGANISATION_LENGTH} characters, no
 *                      control characters
 * @param logo          shown in the header next to the organisation's name
 * @param primaryColour the header and button background behind white text; at least 4.5:1 contrast with white
 *                      (WCAG 2.1 AA)
 * @param support       who to contact, shown in every page's footer; at most {@value #MAX_SUPPORT_LENGTH} characters
 */
public record PortalBranding(String organisation, Optional<PortalLogo> logo, RgbColour primaryColour,
        Optional<String> support) {
    public static final String DEFAULT_ORGANISATION = "Portcullis";
    /** NHS blue: 6.4:1 against white. */
    public static final RgbColour DEFAULT_PRIMARY_COLOUR = new RgbColour(0x00, 0x5e, 0xb8);
    public static final int MAX_ORGANISATION_LENGTH = 100;
    public static final int MAX_SUPPORT_LENGTH = 300;

    public PortalBranding {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(logo, "logo");
        Objects.requireNonNull(primaryColour, "primaryColour");
        Objects.requireNonNull(support, "support");
    }

    /** What applies when {@code portal.branding} or one of its keys is absent. */
    public static PortalBranding defaults() {
        return new PortalBranding(DEFAULT_ORGANISATION, Optional.empty(), DEFAULT_PRIMARY_COLOUR, Optional.empty());
    }
}
