package org.portcullis.config;

/**
 * {@code connect}: options of {@code portcullis connect} (issue 17) beyond the loopback sign-in, which needs none.
 *
 * @param deviceCode whether the device-code sign-in is offered to computers without a browser. Off by default: it is
 *                   a known phishing route (an attacker starts it and sends a victim the real portal and a code), so
 *                   an admin turns it on knowingly (docs/connect.md, "Device-code sign-in")
 */
public record ConnectConfig(boolean deviceCode) {

    /** No {@code connect} section: the device-code sign-in is off. */
    public static ConnectConfig defaults() {
        return new ConnectConfig(false);
    }
}
