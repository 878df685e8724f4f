package org.portcullis.signin;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.RemoteDesktopConfig;
import org.portcullis.config.SecondFactor;

/**
 * Who may open which remote desktop, decided the same way by the portal (listing, issuing a token) and by the RD
 * Gateway endpoint (redeeming it, under the config current then): a signed-in session with a completed second factor
 * that the desktop accepts, and a user the desktop's subjects or groups name. Anything else is no.
 */
public final class DesktopAccess {
    private DesktopAccess() {
    }

    /** The desktops of {@code config} that {@code session} may open now, in config order. */
    public static List<RemoteDesktopConfig> openable(GatewayConfig config, ResolvedSession session) {
        return config.remoteDesktops().stream().filter(d -> mayOpen(d, session)).toList();
    }

    /** The desktop named {@code name} if {@code session} may open it under {@code config}. */
    public static Optional<RemoteDesktopConfig> find(GatewayConfig config, String name, ResolvedSession session) {
        return config.remoteDesktops().stream().filter(d -> d.name().equals(name) && mayOpen(d, session)).findFirst();
    }

    public static boolean mayOpen(RemoteDesktopConfig desktop, ResolvedSession session) {
        if (!session.signedIn() || session.user().disabled()) {
            return false;
        }
        java.util.Set<SecondFactor> accepted = desktop.factors().isEmpty()
                ? java.util.EnumSet.allOf(SecondFactor.class) : desktop.factors();
        boolean twoFactors = session.session().factors().keySet().stream()
                .anyMatch(f -> !f.isFirstFactor() && f.satisfies(accepted));
        return twoFactors && desktop.allows(session.user().username(), new HashSet<>(session.user().groups()));
    }
}
