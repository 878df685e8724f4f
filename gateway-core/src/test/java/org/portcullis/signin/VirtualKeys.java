package org.portcullis.signin;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.portcullis.browser.Browser;

/** What the Chromium key tests share: the virtual authenticator they hold, and pressing a key button. */
public final class VirtualKeys {
    private VirtualKeys() {
    }

    /** A platform passkey with user verification (CTAP2, internal transport, resident keys). */
    public static VirtualAuthenticatorOptions platformPasskey() {
        return new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true);
    }

    /** Clicks a ceremony button and waits until the page's script has moved the browser on to another page. */
    public static void useKey(Browser b, String buttonText) {
        WebElement oldRoot = b.driver().findElement(By.tagName("html"));
        b.driver().findElement(By.xpath("//button[normalize-space()='" + buttonText + "']")).click();
        new WebDriverWait(b.driver(), Browser.WAIT)
                .withMessage(() -> "the key ceremony did not move on; status: " + status(b))
                .until(d -> Browser.isGone(oldRoot));
        new WebDriverWait(b.driver(), Browser.WAIT)
                .until(d -> "complete".equals(b.script("return document.readyState")));
    }

    /** The script's status line, as a user would read it. */
    static String status(Browser b) {
        return b.driver().findElements(By.cssSelector("[data-webauthn-status]")).stream()
                .map(WebElement::getText).findFirst().orElse("(no status line)");
    }
}
