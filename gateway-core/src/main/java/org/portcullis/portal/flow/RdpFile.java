package org.portcullis.portal.flow;

import org.portcullis.config.RemoteDesktopConfig;

/**
 * The {@code .rdp} file of one desktop: the host to reach, through the gateway on the portal's host, with the access
 * token as the gateway credential. Every value comes from the config or the gateway; names and addresses passed the
 * config's syntax checks and the token is base64url, so no value can break a line.
 */
final class RdpFile {
    private RdpFile() {
    }

    static String text(RemoteDesktopConfig desktop, String gatewayHost, String token) {
        return String.join("\r\n",
                "full address:s:" + desktop.address().host() + ":" + desktop.address().port(),
                "gatewayhostname:s:" + gatewayHost,
                // 1: always use the gateway; profile usage 1: these settings, not the client's own
                "gatewayusagemethod:i:1",
                "gatewayprofileusagemethod:i:1",
                // 5: the gateway credential is the access token (no password is asked for the gateway)
                "gatewaycredentialssource:i:5",
                "gatewayaccesstoken:s:" + token,
                "promptcredentialonce:i:0",
                "");
    }
}
