package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.openqa.selenium.Dimension;
import org.portcullis.browser.Browser;

/**
 * What a user on a phone or a desktop sees of the page open in {@link Browser}, measured by Chromium's layout (there
 * is no axe-core in this repository, so its {@code target-size} rule is measured directly): the page is no wider than
 * the window (no sideways scrolling), every visible target (link, button, field) is at least 24 by 24 CSS pixels and
 * overlaps no other (WCAG 2.2 SC 2.5.8, level AA), and each secondary action ({@code form.secondary}) sits at least
 * 24 px below the target above it, so nobody hits "Cancel and sign out" aiming for "Continue".
 */
final class PageLayout {
    static final int PHONE = 390;
    static final int DESKTOP = 1280;
    private static final int HEIGHT = 844;
    private static final int MIN_TARGET = 24;

    private static final String TOO_WIDE = "const w = document.documentElement.clientWidth;"
            + " return Array.from(document.querySelectorAll('body *')).filter(e =>"
            + " e.getBoundingClientRect().right > w + 0.5 && !e.closest('.table-scroll'))"
            + ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ' right='"
            + " + Math.round(e.getBoundingClientRect().right)).join(', ')";

    private static final String TARGETS = "return Array.from(document.querySelectorAll("
            + "'a[href], button, input:not([type=hidden]), select, textarea')).filter(e => {"
            + " const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })";

    private static final String SMALL_TARGETS = "const t = (() => { " + TARGETS + " })();"
            + " return t.filter(e => { const r = e.getBoundingClientRect(); return r.width < " + MIN_TARGET
            + " || r.height < " + MIN_TARGET + "; }).map(e => e.tagName + ' \"' + (e.textContent || e.name).trim()"
            + " + '\" ' + Math.round(e.getBoundingClientRect().width) + 'x'"
            + " + Math.round(e.getBoundingClientRect().height))";

    private static final String OVERLAPS = "const t = (() => { " + TARGETS + " })(); const out = [];"
            + " for (let i = 0; i < t.length; i++) for (let j = i + 1; j < t.length; j++) {"
            + " const a = t[i].getBoundingClientRect(), b = t[j].getBoundingClientRect();"
            + " if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)"
            + " out.push((t[i].textContent || t[i].name).trim() + ' / ' + (t[j].textContent || t[j].name).trim()); }"
            + " return out";

    /** For each secondary action: the vertical gap to the nearest target above it, in CSS px. */
    private static final String SECONDARY_GAPS = "const t = (() => { " + TARGETS + " })();"
            + " return Array.from(document.querySelectorAll('form.secondary button')).map(b => {"
            + " const r = b.getBoundingClientRect(); const above = t.filter(e => e !== b"
            + " && e.getBoundingClientRect().bottom <= r.top + 0.5).map(e => e.getBoundingClientRect().bottom);"
            + " return above.length ? Math.round(r.top - Math.max(...above)) : 1000; })";

    private PageLayout() {
    }

    /** Checks the open page at phone and at desktop width, then leaves the window at phone width. */
    static void assertFits(Browser browser, String page) {
        for (int width : new int[] {DESKTOP, PHONE}) {
            resize(browser, width);
            Number client = (Number) browser.script("return document.documentElement.clientWidth");
            Number scroll = (Number) browser.script("return document.documentElement.scrollWidth");
            assertThat(scroll.intValue()).as("%s at %d px is %d px wide; too wide: %s", page, width,
                    scroll.intValue(), browser.script(TOO_WIDE)).isLessThanOrEqualTo(client.intValue());
            assertThat((List<?>) browser.script(SMALL_TARGETS)).as("%s at %d px: targets under 24x24", page, width)
                    .isEmpty();
            assertThat((List<?>) browser.script(OVERLAPS)).as("%s at %d px: overlapping targets", page, width)
                    .isEmpty();
            assertThat((List<?>) browser.script(SECONDARY_GAPS)).as("%s at %d px: gap above secondary actions",
                    page, width).allSatisfy(gap -> assertThat(((Number) gap).intValue())
                    .isGreaterThanOrEqualTo(MIN_TARGET));
        }
    }

    static void resize(Browser browser, int width) {
        browser.driver().manage().window().setSize(new Dimension(width, HEIGHT));
    }
}
