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

    /** Where a new authenticator app or security key lands: the account page, which confirms it. */
    static final String ADDED_APP = PortalPaths.HOME + "?" + AccountEndpoint.FIELD_ADDED + "=app";
    static final String ADDED_KEY = PortalPaths.HOME + "?" + AccountEndpoint.FIELD_ADDED + "=key";
    private static final String FIELD_ADDED = "added";
    /** The hint confirms only an authenticator added this recently, so a link cannot claim an old one is new. */
    private static final java.time.Duration ADDED_RECENTLY = java.time.Duration.ofMinutes(10);

    private final StorageExecutor storage;
    private final SecondFactors factors;
    private final java.time.Clock clock;

    AccountEndpoint(StorageExecutor storage, SecondFactors factors, java.time.Clock clock) {
        this.storage = storage;
        this.factors = factors;
        this.clock = clock;
    }

    CompletableFuture<PortalResponse> home(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        String added = PortalContext.query(request).text(FIELD_ADDED);
        return storage.submit(() -> PortalContext.page(PortalContext.site(request),
                page(request, 200, addedMessage(request, added), false), "ACCOUNT"));
    }

    /**
     * "Your security key "NAME" is registered." after a registration landed here with {@code ?added=key} (or
     * {@code app}): read from the store, naming the newest one, and only if it was added in the last minutes. The
     * hint in the URL changes nothing and can only ever make the page state a fact.
     */
    private Optional<String> addedMessage(PortalRequest request, String added) {
        String user = request.session().user().username();
        java.time.Instant since = clock.instant().minus(ADDED_RECENTLY);
        if ("key".equals(added)) {
            return factors.webauthn().keys(user).stream()
                    .filter(k -> k.record().created().isAfter(since))
                    .max(java.util.Comparator.comparing(k -> k.record().created()))
                    .map(k -> String.format(SecondFactorMessages.KEY_REGISTERED, k.record().name()));
        }
        if ("app".equals(added)) {
            return factors.totp().list(user).stream()
                    .filter(TotpCredential::active).filter(c -> c.created().isAfter(since))
                    // Ties (one clock tick) go to the one used last: a new app is used once, to confirm it.
                    .max(java.util.Comparator.comparing(TotpCredential::created).thenComparing(c ->
                            c.lastUsed().orElse(java.time.Instant.MIN)))
                    .map(c -> String.format(SecondFactorMessages.APP_ADDED, c.name()));
        }
        return Optional.empty();
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
