package org.portcullis.signin;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.RemoteDesktopConfig;
import org.portcullis.config.SecondFactor;
import org.portcullis.policy.AuthState;

/**
 * Who may open which remote desktop, decided the same way by the portal (listing, issuing a token), by the RD Gateway
 * endpoint (redeeming it, under the config current then) and by the stream watch (re-deciding an open desktop after
 * every reload): a signed-in session with a completed second factor that the desktop accepts, and a user the
 * desktop's subjects or groups name. Anything else is no.
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

    /** Whether the desktop named {@code name} is still in {@code config} and still lets {@code state} through. */
    public static boolean stillAllowed(GatewayConfig config, String name, AuthState state) {
        return config.remoteDesktops().stream().anyMatch(d -> d.name().equals(name) && mayOpen(d, state));
    }

    public static boolean mayOpen(RemoteDesktopConfig desktop, ResolvedSession session) {
        return session.signedIn() && !session.user().disabled() && mayOpen(desktop, session.authState());
    }

    static boolean mayOpen(RemoteDesktopConfig desktop, AuthState state) {
        if (!(state instanceof AuthState.SignedIn signedIn)) {
            return false;
        }
        Set<SecondFactor> accepted = desktop.factors().isEmpty() ? EnumSet.allOf(SecondFactor.class)
                : desktop.factors();
        boolean twoFactors = signedIn.completed().keySet().stream()
                .anyMatch(f -> !f.isFirstFactor() && f.satisfies(accepted));
        return twoFactors && desktop.allows(signedIn.identity().user(), signedIn.identity().groups());
    }
}
