package org.portcullis.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.portcullis.fixtures.TestCertificates;

/**
 * A real headless Chromium (Debian's {@code chromium} driven through {@code chromedriver}) for end-to-end tests of
 * what a user's browser does with the gateway's redirects, forms and cookies. Each instance is a fresh profile in its
 * own folder under {@code java.io.tmpdir} (surefire points that at {@code target/}), so no cookie, cache or HSTS
 * entry leaks between instances; {@link #newContext()} is "another user on another machine".
 *
 * <p>Every {@code *.test} host name resolves to 127.0.0.1 ({@code --host-resolver-rules}); keep the gateway's port in
 * the URL, e.g. {@code https://app.test:PORT/}. {@code __Host-} cookies need HTTPS, or {@code http://localhost},
 * which Chromium treats as a secure context.
 *
 * <p>Both executables are set explicitly, so Selenium Manager is never asked and never downloads anything. Every
 * wait is bounded by {@link #WAIT}; one browser costs about a second or two to start, so share one per test class
 * ({@code @BeforeAll}) and always {@link #close()} it ({@code @AfterAll}), which also removes its profile.
 *
 * <p>Not thread-safe: one test thread drives one browser.
 */
public final class Browser implements AutoCloseable {

    /** Upper bound for a page load, a script, or any wait for a page or element. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** Bound for one WebDriver command over HTTP, above {@link #WAIT} so a slow page load reports as such. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox", // tests may run as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            "--disable-quic", // the gateway speaks HTTP/1.1 over TCP; no Alt-Svc surprises
            "--no-first-run",
            "--disable-background-networking", // no calls to Google services from a test machine
            "--disable-component-update",
            "--disable-sync",
            "--no-proxy-server", // an http_proxy in the environment must not swallow *.test
            "--disable-features=HttpsUpgrades", // http:// means http://, for tests that use plain listeners
            "--host-resolver-rules=MAP *.test 127.0.0.1",
            "--window-size=1280,1024");

    /** No password manager bubbles or leak checks on the sign-in form (they would call Google). */
    private static final Map<String, Object> PREFERENCES = Map.of(
            "credentials_enable_service", false,
            "profile.password_manager_enabled", false,
            "profile.password_manager_leak_detection", false);

    private static final String SUBMIT_BUTTONS =
            "button[type=submit], input[type=submit], form button:not([type])";

    private static final String FAVICON_PATTERN = "*/favicon.ico";

    private final ChromeDriver driver;
    private final Path directory;
    private final Optional<X509Certificate> trusted;
    private final Duration startupTime;

    private Browser(ChromeDriver driver, Path directory, Optional<X509Certificate> trusted, Duration startupTime) {
        this.driver = driver;
        this.directory = directory;
        this.trusted = trusted;
        this.startupTime = startupTime;
    }

    /**
     * Starts a browser that accepts any TLS certificate ({@code --ignore-certificate-errors}): enough for tests that
     * are not about the gateway's certificate.
     */
    public static Browser start() {
        return launch(Optional.empty());
    }

    /**
     * Starts a browser that accepts only the server certificate of {@code certificates} (by its public key, with
     * {@code --ignore-certificate-errors-spki-list}); any other certificate gets Chromium's interstitial. Host-name
     * checks still apply, so use names the certificate holds ({@code *.test}, {@code localhost}).
     */
    public static Browser start(TestCertificates certificates) {
        return launch(Optional.of(certificates.certificate()));
    }

    /** A second, independent browser (own profile, no cookies) with the same certificate trust as this one. */
    public Browser newContext() {
        return launch(trusted);
    }

    private static Browser launch(Optional<X509Certificate> trusted) {
        BrowserRequirement.require();
        long startNanos = System.nanoTime();
        Path directory = createDirectory();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserRequirement.CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + directory.resolve("profile"));
        if (trusted.isPresent()) {
            options.addArguments("--ignore-certificate-errors-spki-list=" + spkiSha256(trusted.get()));
        } else {
            options.addArguments("--ignore-certificate-errors");
            options.setAcceptInsecureCerts(true);
        }
        options.setExperimentalOption("prefs", PREFERENCES);
        options.setPageLoadTimeout(WAIT);
        options.setScriptTimeout(WAIT);
        options.setImplicitWaitTimeout(Duration.ZERO);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(BrowserRequirement.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(WAIT)
                .withLogFile(directory.resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options, ClientConfig.defaultConfig().readTimeout(COMMAND_TIMEOUT));
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile(directory);
            throw e;
        }
        try {
            blockFavicons(driver);
        } catch (RuntimeException e) {
            driver.quit();
            deleteProfile(directory);
            throw e;
        }
        return new Browser(driver, directory, trusted, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * Chromium fetches {@code /favicon.ico} after each page on its own; through the gateway that is one more request
     * to the upstream, at an unpredictable moment, which would break "nothing reached the upstream" assertions.
     */
    private static void blockFavicons(ChromeDriver driver) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of(FAVICON_PATTERN)));
    }

    /** Chromium's SPKI pin format: base64 of the SHA-256 of the DER SubjectPublicKeyInfo. */
    private static String spkiSha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "browser-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a browser profile folder", e);
        }
    }

    /** How long {@link #start()} took, chromedriver and Chromium together. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Navigates and waits (at most {@link #WAIT}) for the page, after any redirects, to finish loading. */
    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    public String title() {
        return driver.getTitle();
    }

    /** The rendered text of the page (a {@code text/plain} response shows as its text). */
    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** The current DOM serialised as HTML. */
    public String pageSource() {
        return driver.getPageSource();
    }

    /**
     * The HTTP status of the response that produced the current page (after redirects), from the Navigation Timing
     * entry; WebDriver itself does not report statuses.
     */
    public int responseStatus() {
        Object status = driver.executeScript(
                "const n = performance.getEntriesByType('navigation'); return n.length ? n[0].responseStatus : null;");
        if (!(status instanceof Number number)) {
            throw new IllegalStateException("no navigation timing entry on " + currentUrl());
        }
        return number.intValue();
    }

    /**
     * Types {@code value} into the form field whose {@code name} or {@code id} is {@code labelOrName}, or whose
     * {@code <label>} reads exactly {@code labelOrName}; replaces what the field held. Waits at most {@link #WAIT}.
     */
    public Browser fill(String labelOrName, String value) {
        WebElement field = waiter()
                .withMessage("no form field named, with id, or labelled '" + labelOrName + "' on " + currentUrl())
                .until(d -> findField(labelOrName));
        field.clear();
        field.sendKeys(value);
        return this;
    }

    private WebElement findField(String labelOrName) {
        List<WebElement> candidates = new ArrayList<>(driver.findElements(By.name(labelOrName)));
        candidates.addAll(driver.findElements(By.id(labelOrName)));
        for (WebElement label : driver.findElements(By.tagName("label"))) {
            if (!label.getText().strip().equals(labelOrName)) {
                continue;
            }
            String target = label.getDomAttribute("for");
            candidates.addAll(target == null || target.isEmpty()
                    ? label.findElements(By.cssSelector("input, textarea, select"))
                    : driver.findElements(By.id(target)));
        }
        return candidates.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
    }

    /** Clicks the page's only submit button and waits for the next page; fails if there are several. */
    public Browser submit() {
        List<WebElement> buttons = submitButtons();
        if (buttons.size() != 1) {
            throw new IllegalStateException("expected one submit button on " + currentUrl() + " but found "
                    + buttons.size() + ": " + buttons.stream().map(Browser::buttonText).toList()
                    + "; use submit(text)");
        }
        return clickAndWaitForNextPage(buttons.get(0));
    }

    /** Clicks the submit button whose text (or {@code value}) is {@code buttonText} and waits for the next page. */
    public Browser submit(String buttonText) {
        WebElement button = submitButtons().stream()
                .filter(b -> buttonText.equals(buttonText(b)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no submit button '" + buttonText + "' on "
                        + currentUrl() + "; there are " + submitButtons().stream().map(Browser::buttonText).toList()));
        return clickAndWaitForNextPage(button);
    }

    /** Clicks the link whose visible text is {@code linkText} and waits for the next page. */
    public Browser followLink(String linkText) {
        return clickAndWaitForNextPage(driver.findElement(By.linkText(linkText)));
    }

    private List<WebElement> submitButtons() {
        return driver.findElements(By.cssSelector(SUBMIT_BUTTONS)).stream().filter(WebElement::isDisplayed).toList();
    }

    private static String buttonText(WebElement button) {
        String text = button.getText().strip();
        return text.isEmpty() ? Optional.ofNullable(button.getDomAttribute("value")).orElse("") : text;
    }

    /** The old document's root going stale is the signal that the browser has moved on to the response. */
    private Browser clickAndWaitForNextPage(WebElement element) {
        WebElement oldRoot = driver.findElement(By.tagName("html"));
        String from = currentUrl();
        element.click();
        waiter().withMessage("no new page after the click on " + from).until(d -> isGone(oldRoot));
        waiter().withMessage("the page after " + from + " did not finish loading")
                .until(d -> "complete".equals(driver.executeScript("return document.readyState")));
        return this;
    }

    /**
     * True once {@code element} no longer belongs to the page. While Chromium swaps documents it may answer a
     * question about the old node with "does not belong to the document" instead of a stale-element error; both
     * mean the old page is gone ({@code ExpectedConditions.stalenessOf} treats only the latter so, which made
     * browser tests fail now and then).
     */
    public static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** Waits (at most {@link #WAIT}) until the current URL satisfies {@code condition}; returns that URL. */
    public String awaitUrl(Predicate<String> condition, String description) {
        waiter().withMessage(() -> "URL never became " + description + "; it is " + currentUrl())
                .until(d -> condition.test(d.getCurrentUrl()));
        return currentUrl();
    }

    /** All cookies the browser would send to the current page's URL, HttpOnly ones included. */
    public List<BrowserCookie> cookies() {
        return driver.manage().getCookies().stream()
                .map(BrowserCookie::of)
                .sorted(Comparator.comparing(BrowserCookie::name))
                .toList();
    }

    public Optional<BrowserCookie> cookie(String name) {
        return cookies().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Deletes the cookies of the current page's host (other hosts keep theirs). */
    public Browser deleteCookies() {
        driver.manage().deleteAllCookies();
        return this;
    }

    /** Runs JavaScript in the page ({@code return ...} for a value); arguments are {@code arguments[i]}. */
    public Object script(String javaScript, Object... arguments) {
        return driver.executeScript(javaScript, arguments);
    }

    /** The driver itself, for what this class does not cover, e.g. {@code HasVirtualAuthenticator} for WebAuthn. */
    public ChromeDriver driver() {
        return driver;
    }

    private WebDriverWait waiter() {
        return new WebDriverWait(driver, WAIT);
    }

    /** Quits Chromium and chromedriver and deletes the profile; safe to call twice. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteProfile(directory);
        }
    }

    private static void deleteProfile(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // best effort: the folder is under target/ and goes with the next clean
        }
    }
}
