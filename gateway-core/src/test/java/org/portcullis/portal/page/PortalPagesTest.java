package org.portcullis.portal.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.PortalBranding;
import org.portcullis.config.PortalLogo;
import org.portcullis.config.RgbColour;
import org.w3c.dom.Element;

/** Every portal page, rendered and parsed strictly, with ordinary and with hostile values in every slot. */
class PortalPagesTest {
    static final PortalBranding BRANDING = new PortalBranding("Example NHS Trust",
            Optional.of(new PortalLogo(Path.of("/etc/portcullis/logo.png"), "image/png", "iVBORw0KGgo=")),
            RgbColour.parse("#005eb8").orElseThrow(), Optional.of("Call the IT service desk on 0123 456 7890"));
    static final PortalPages PAGES = new PortalPages(BRANDING, List.of("https://records.example.org"));

    /** Values an attacker controls (rd, username) or an admin might get wrong (names, support text). */
    static final List<String> HOSTILE = List.of(
            "<script>alert(1)</script>",
            "\"onmouseover=\"alert(1)",
            "' autofocus onfocus='alert(1)",
            "\"><img src=x onerror=alert(1)>",
            "</textarea><script>alert(1)</script>",
            "</style><script>alert(1)</script>",
            "</title><script>alert(1)</script>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<!-- x --><![CDATA[ ]]>",
            "javascript:alert(1)",
            "{{primary}};}body{display:none}",
            "nul\u0000byte and lone \uD800 surrogate",
            "line\r\nbreak\ttab",
            "\u202Eevil\u202C \uD83D\uDE00");

    record Rendered(String name, Function<String, PortalPage> render) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Each page with {@code v} in every slot it has, and in the branding. */
    static List<Rendered> pages() {
        return List.of(
                new Rendered("login", v -> pages(v).login(v, v)),
                new Rendered("login failed", v -> pages(v).loginFailed(v, v, v, v)),
                new Rendered("locked", v -> pages(v).locked()),
                new Rendered("busy", v -> pages(v).busy()),
                new Rendered("account", v -> pages(v).account(v, v, v)),
                new Rendered("signed out", v -> pages(v).signedOut()),
                new Rendered("session expired", v -> pages(v).sessionExpired(v)),
                new Rendered("second factor", v -> pages(v).secondFactorRequired(v, v)),
                new Rendered("not found", v -> pages(v).notFound()));
    }

    static PortalPages pages(String value) {
        return new PortalPages(new PortalBranding(value, BRANDING.logo(), BRANDING.primaryColour(),
                Optional.of(value)), List.of());
    }

    static Stream<Arguments> everyPageWithEveryHostileValue() {
        return pages().stream().flatMap(p -> HOSTILE.stream().map(v -> Arguments.of(p, v)));
    }

    @ParameterizedTest(name = "{0}: {index}")
    @MethodSource("everyPageWithEveryHostileValue")
    void hostileValuesAppearOnlyEscaped(Rendered page, String hostile) {
        String html = page.render().apply(hostile).html();
        StrictHtml parsed = StrictHtml.parse(html).assertSafeAndAccessible();

        if (hostile.matches("(?s).*[<>\"'&].*")) {
            assertThat(html).as("raw value never in the page").doesNotContain(hostile);
        }
        // the reader sees exactly what was given (less the characters no page may hold), in text or attributes
        String expected = whitespace(hostile.replace('\u0000', '\uFFFD').replace('\uD800', '\uFFFD'));
        assertThat(whitespace(parsed.textAndAttributes())).contains(expected);
        // the value never became markup: the only elements are the ones the page always has
        assertThat(parsed.all("img")).hasSize(1);
        assertThat(parsed.withAttribute("autofocus")).hasSizeLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyPageCarriesTheBranding(Rendered page) {
        PortalPage branded = pageWithBranding(page);
        StrictHtml parsed = StrictHtml.parse(branded.html()).assertSafeAndAccessible();
        assertThat(parsed.only("header").getTextContent()).isEqualTo("Example NHS Trust");
        Element logo = parsed.only("img");
        assertThat(logo.getAttribute("src")).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(logo.getAttribute("alt")).isEqualTo("Example NHS Trust logo");
        assertThat(parsed.only("footer").getTextContent()).isEqualTo("Call the IT service desk on 0123 456 7890");
        assertThat(parsed.only("title").getTextContent()).endsWith(" \u2013 Example NHS Trust");
        assertThat(parsed.styleText()).contains("header{background:#005eb8;color:#fff");
    }

    @Test
    void withoutLogoOrSupportThereIsNoImageAndNoFooter() {
        PortalPages plain = new PortalPages(PortalBranding.defaults(), List.of());
        StrictHtml parsed = StrictHtml.parse(plain.login("t", "").html()).assertSafeAndAccessible();
        assertThat(parsed.all("img")).isEmpty();
        assertThat(parsed.all("footer")).isEmpty();
        assertThat(parsed.only("header").getTextContent()).isEqualTo("Portcullis");
    }

    @Test
    void loginFormHasLabelledFieldsTheRightAutocompleteAndTheHiddenFields() {
        PortalPage page = PAGES.login("csrf-token-1", "https://records.example.org/ward/7");
        assertThat(page.status()).isEqualTo(200);
        StrictHtml parsed = StrictHtml.parse(page.html()).assertSafeAndAccessible();

        Element form = parsed.only("form");
        assertThat(form.getAttribute("action")).isEqualTo("/.portcullis/login");
        assertThat(hidden(parsed, "csrf")).isEqualTo("csrf-token-1");
        assertThat(hidden(parsed, "rd")).isEqualTo("https://records.example.org/ward/7");
        Element username = parsed.byId("username");
        assertThat(username.getAttribute("name")).isEqualTo("username");
        assertThat(username.getAttribute("autocomplete")).isEqualTo("username");
        assertThat(username.hasAttribute("autofocus")).isTrue();
        Element password = parsed.byId("password");
        assertThat(password.getAttribute("name")).isEqualTo("password");
        assertThat(password.getAttribute("type")).isEqualTo("password");
        assertThat(password.getAttribute("autocomplete")).isEqualTo("current-password");
        assertThat(password.hasAttribute("value")).isFalse();
        assertThat(parsed.all("label")).extracting(l -> l.getTextContent())
                .containsExactly("Username or email address", "Password");
        assertThat(parsed.withAttribute("role")).as("no alert without an error").isEmpty();
        assertThat(parsed.only("title").getTextContent()).startsWith("Sign in \u2013");
    }

    @Test
    void focusOrderFollowsTheSource() {
        StrictHtml parsed = StrictHtml.parse(PAGES.loginFailed("t", "", "alice", PortalMessages.WRONG_CREDENTIALS)
                .html()).assertSafeAndAccessible();
        assertThat(parsed.withAttribute("tabindex")).extracting(e -> e.getAttribute("tabindex"))
                .as("no positive tabindex reorders focus").containsOnly("-1");
        List<String> focusable = parsed.allElements().stream()
                .filter(e -> e.hasAttribute("tabindex") || e.getTagName().equals("button")
                        || (e.getTagName().equals("input") && !e.getAttribute("type").equals("hidden")))
                .map(e -> e.getTagName() + (e.hasAttribute("id") ? "#" + e.getAttribute("id") : "")).toList();
        assertThat(focusable).containsExactly("div#error-summary", "input#username", "input#password", "button");
    }

    @Test
    void failedLoginAnnouncesTheErrorAndFocusesIt() {
        PortalPage page = PAGES.loginFailed("t2", "https://records.example.org/", "Alice",
                PortalMessages.WRONG_CREDENTIALS);
        assertThat(page.status()).isEqualTo(200);
        StrictHtml parsed = StrictHtml.parse(page.html()).assertSafeAndAccessible();

        Element alert = parsed.byId("error-summary");
        assertThat(alert.getAttribute("role")).isEqualTo("alert");
        assertThat(alert.getAttribute("aria-live")).isEqualTo("assertive");
        assertThat(alert.getTextContent()).contains(PortalMessages.WRONG_CREDENTIALS);
        assertThat(parsed.withAttribute("autofocus")).containsExactly(alert);
        for (String id : List.of("username", "password")) {
            assertThat(parsed.byId(id).getAttribute("aria-describedby")).isEqualTo("error-summary");
            assertThat(parsed.byId(id).getAttribute("aria-invalid")).isEqualTo("true");
        }
        assertThat(parsed.byId("username").getAttribute("value")).isEqualTo("Alice");
        assertThat(parsed.only("title").getTextContent()).startsWith("Error: Sign in");
    }

    @Test
    void accountPageNamesTheUserAndSignsOutWithCsrf() {
        PortalPage page = PAGES.account("Dr Ann O'Neill", "ann.oneill", "csrf-3");
        assertThat(page.status()).isEqualTo(200);
        StrictHtml parsed = StrictHtml.parse(page.html()).assertSafeAndAccessible();
        assertThat(parsed.only("main").getTextContent())
                .contains("You are signed in as Dr Ann O'Neill (username ann.oneill).");
        Element form = parsed.only("form");
        assertThat(form.getAttribute("action")).isEqualTo("/.portcullis/logout");
        assertThat(hidden(parsed, "csrf")).isEqualTo("csrf-3");
        assertThat(parsed.only("button").getTextContent()).isEqualTo("Sign out");
    }

    @Test
    void sessionExpiredLinksToSignInWithTheDestinationPercentEncoded() {
        String rd = "https://records.example.org/a b?x=1&y=\"2\"#f";
        StrictHtml parsed = StrictHtml.parse(PAGES.sessionExpired(rd).html()).assertSafeAndAccessible();
        String href = parsed.only("a").getAttribute("href");
        assertThat(href).startsWith("/.portcullis/login?rd=").doesNotContain(" ", "&", "\"", "#");
        assertThat(URLDecoder.decode(href.substring("/.portcullis/login?rd=".length()), StandardCharsets.UTF_8))
                .isEqualTo(rd);
        assertThat(parsed.only("h1").getTextContent()).isEqualTo(PortalMessages.SESSION_EXPIRED_TITLE);
        assertThat(StrictHtml.parse(PAGES.sessionExpired("").html()).only("a").getAttribute("href"))
                .isEqualTo("/.portcullis/login");
    }

    @Test
    void noticePagesSayWhatHappenedAndWhatToDo() {
        assertNotice(PAGES.locked(), 429, PortalMessages.LOCKED_TITLE, "too many failed attempts",
                "/.portcullis/login");
        assertNotice(PAGES.busy(), 503, PortalMessages.BUSY_TITLE, "try again", null);
        assertNotice(PAGES.signedOut(), 200, PortalMessages.SIGNED_OUT_TITLE, "signed out", "/.portcullis/login");
        assertNotice(PAGES.notFound(), 404, PortalMessages.NOT_FOUND_TITLE, "no page at this address",
                "/.portcullis/");
        assertThat(PAGES.locked(Optional.of(15L), "").html()).contains("try again in 15 minutes");
    }

    @Test
    void secondFactorPageHasAMessageSlotAndAWayOut() {
        StrictHtml withMessage = StrictHtml.parse(PAGES.secondFactorRequired("c4", "Ask the service desk for an"
                + " enrolment code.").html()).assertSafeAndAccessible();
        assertThat(withMessage.only("h1").getTextContent()).isEqualTo(PortalMessages.SECOND_FACTOR_TITLE);
        assertThat(withMessage.only("main").getTextContent()).contains(PortalMessages.SECOND_FACTOR,
                "Ask the service desk for an enrolment code.");
        assertThat(withMessage.only("form").getAttribute("action")).isEqualTo("/.portcullis/logout");
        assertThat(hidden(withMessage, "csrf")).isEqualTo("c4");

        StrictHtml without = StrictHtml.parse(PAGES.secondFactorRequired("c4").html()).assertSafeAndAccessible();
        assertThat(without.all("p")).hasSize(withMessage.all("p").size() - 1);
    }

    @Test
    void pagesContainNoScriptAtAll() {
        for (Rendered page : pages()) {
            String html = page.render().apply("v").html().toLowerCase();
            assertThat(html).as(page.name()).doesNotContain("<script", "javascript:", "style=\"")
                    .doesNotContainPattern("\\son[a-z]+\\s*=");
        }
    }

    @Test
    void bodyIsTheHtmlAsUtf8() {
        PortalPage page = PAGES.account("Zo\u00eb", "zoe", "c");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo(page.html());
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static PortalPage pageWithBranding(Rendered page) {
        return switch (page.name()) {
            case "login" -> PAGES.login("t", "");
            case "login failed" -> PAGES.loginFailed("t", "", "u", PortalMessages.WRONG_CREDENTIALS);
            case "locked" -> PAGES.locked();
            case "busy" -> PAGES.busy();
            case "account" -> PAGES.account("Ann", "ann", "t");
            case "signed out" -> PAGES.signedOut();
            case "session expired" -> PAGES.sessionExpired("");
            case "second factor" -> PAGES.secondFactorRequired("t");
            case "not found" -> PAGES.notFound();
            default -> throw new IllegalArgumentException(page.name());
        };
    }

    private static void assertNotice(PortalPage page, int status, String title, String phrase, String link) {
        assertThat(page.status()).isEqualTo(status);
        StrictHtml parsed = StrictHtml.parse(page.html()).assertSafeAndAccessible();
        assertThat(parsed.only("h1").getTextContent()).isEqualTo(title);
        assertThat(parsed.only("main").getTextContent().toLowerCase()).contains(phrase);
        if (link == null) {
            assertThat(parsed.all("a")).isEmpty();
        } else {
            assertThat(parsed.only("a").getAttribute("href")).isEqualTo(link);
        }
    }

    private static String hidden(StrictHtml parsed, String name) {
        return parsed.all("input").stream()
                .filter(i -> i.getAttribute("type").equals("hidden") && i.getAttribute("name").equals(name))
                .map(i -> i.getAttribute("value"))
                .reduce((a, b) -> {
                    throw new AssertionError("two hidden " + name + " fields");
                })
                .orElseThrow(() -> new AssertionError("no hidden " + name + " field"));
    }

    /** XML normalises line breaks in attributes to spaces; browsers keep them. Compare modulo white space. */
    private static String whitespace(String text) {
        return text.replaceAll("[\\t\\r\\n]+", " ");
    }
}
