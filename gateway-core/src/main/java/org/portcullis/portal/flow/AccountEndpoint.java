package org.portcullis.portal.flow;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCredential;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.PortalPage;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.SecondFactorPages;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;

/**
 * The account home ({@code /.portcullis/}): who is signed in, their authenticators (name, type, added, last used)
 * with rename, remove and new recovery codes, adding an authenticator, and the sign-out button. A browser without a
 * session is sent to sign in; one that still owes its second factor never gets here ({@link SignInPortal}).
 */
final class AccountEndpoint {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final StorageExecutor storage;
    private final SecondFactors factors;

    AccountEndpoint(StorageExecutor storage, SecondFactors factors) {
        this.storage = storage;
        this.factors = factors;
    }

    CompletableFuture<PortalResponse> home(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        return storage.submit(() -> PortalContext.page(PortalContext.site(request),
                page(request, 200, Optional.empty(), false), "ACCOUNT"));
    }

    /** The account page with {@code message} (an alert when {@code alert}); on a storage thread. */
    PortalPage page(PortalRequest request, int status, Optional<String> message, boolean alert) {
        PortalSite site = PortalContext.site(request);
        var user = request.session().user();
        List<SecondFactorPages.FactorRow> rows = new java.util.ArrayList<>(factors.totp()
                .list(user.username()).stream().filter(TotpCredential::active).map(AccountEndpoint::row).toList());
        factors.webauthn().keys(user.username()).stream().map(AccountEndpoint::row)
                .forEach(rows::add);
        return site.pages().secondFactor().account(status, user.displayName(), user.username(),
                PortalContext.attribute(request, PortalContext.CSRF).orElse(""), rows, message, alert);
    }

    private static SecondFactorPages.FactorRow row(TotpCredential credential) {
        return new SecondFactorPages.FactorRow(credential.id(), credential.name(), "Authenticator app (TOTP)",
                TIME.format(credential.created()), credential.lastUsed().map(TIME::format)
                .orElse(SecondFactorMessages.NEVER));
    }

    private static SecondFactorPages.FactorRow row(org.portcullis.factor.WebAuthnCredentials.StoredKey key) {
        return new SecondFactorPages.FactorRow(key.id(), key.record().name(), key.record().disabled()
                ? org.portcullis.portal.page.WebAuthnMessages.KEY_TYPE_DISABLED
                : org.portcullis.portal.page.WebAuthnMessages.KEY_TYPE, TIME.format(key.record().created()),
                key.record().lastUsedAt().map(TIME::format).orElse(SecondFactorMessages.NEVER));
    }

    PortalResponse toSecondFactor() {
        return PortalResponse.redirect(303, PortalPaths.SECOND_FACTOR, "TO_SECOND_FACTOR", List.of());
    }

    PortalResponse toHome() {
        return PortalResponse.redirect(303, PortalPaths.HOME, "TO_HOME", List.of());
    }
}
