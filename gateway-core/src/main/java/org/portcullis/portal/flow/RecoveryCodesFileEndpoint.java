package org.portcullis.portal.flow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.SecondFactorPages;
import org.portcullis.snapshot.PortalSite;

/**
 * {@code POST /.portcullis/recovery-codes.txt}: the recovery codes the page just showed, as a text file to save.
 * The gateway keeps only the codes' hashes, so it cannot make the file itself: the recovery codes page posts the codes
 * it shows back, with the session's CSRF token (a full session only, {@link PortalRoutes}). Nothing but
 * recovery-code-shaped text is echoed (at most ten codes of the code alphabet in {@code XXXXX-XXXXX} form), so the
 * endpoint cannot be made to serve anything else under the portal's origin; and the answer is an attachment,
 * {@code text/plain}, {@code nosniff}, {@code Cache-Control: no-store}, so no cache or history keeps the codes.
 */
final class RecoveryCodesFileEndpoint {
    static final String FILE_NAME = "recovery-codes.txt";
    private static final String GROUP = "[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}";
    private static final Pattern CODE = Pattern.compile(GROUP + "-" + GROUP);
    private static final int MAX_CODES = 10;

    private final PortalContext context;

    RecoveryCodesFileEndpoint(PortalContext context) {
        this.context = context;
    }

    CompletableFuture<PortalResponse> download(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        Optional<List<String>> codes = FormBody.parse(request.body())
                .map(form -> form.text(SecondFactorPages.FIELD_CODES)).flatMap(RecoveryCodesFileEndpoint::codes);
        String user = request.session().user().username();
        if (codes.isEmpty()) {
            context.record(SignInEvent.ACTION_RECOVERY_CODE_DOWNLOAD, AuditOutcome.FAILURE, "malformed", user, request,
                    request.session().sessionHash());
            return CompletableFuture.completedFuture(refusal(request, 400, "RECOVERY_CODES_FILE_REFUSED"));
        }
        context.record(SignInEvent.ACTION_RECOVERY_CODE_DOWNLOAD, AuditOutcome.SUCCESS, "downloaded", user, request,
                request.session().sessionHash());
        PortalSite site = PortalContext.site(request);
        StringBuilder text = new StringBuilder(512);
        text.append("Recovery codes for ").append(request.session().user().username()).append(" at ")
                .append(request.snapshot().config().portal().branding().organisation()).append("\r\n")
                .append(site.origin().url(PortalPaths.LOGIN)).append("\r\n\r\n")
                .append("Each code lets you sign in once, in place of your second factor.\r\n")
                .append("Keep this file somewhere safe, away from your password.\r\n\r\n");
        for (String code : codes.get()) {
            text.append(code).append("\r\n");
        }
        return CompletableFuture.completedFuture(new PortalResponse(200, List.of(
                new PortalResponse.Header("Content-Type", "text/plain; charset=utf-8"),
                new PortalResponse.Header("Content-Disposition", "attachment; filename=\"" + FILE_NAME + "\""),
                new PortalResponse.Header("Cache-Control", "no-store"),
                new PortalResponse.Header("X-Content-Type-Options", "nosniff"),
                new PortalResponse.Header("Content-Security-Policy", "default-src 'none'; sandbox"),
                new PortalResponse.Header("Referrer-Policy", "same-origin")),
                text.toString().getBytes(StandardCharsets.UTF_8), "RECOVERY_CODES_FILE"));
    }

    /** A forged or expired download form ({@link PortalRoutes}): a refusal page, no codes. */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        context.record(SignInEvent.ACTION_RECOVERY_CODE_DOWNLOAD, AuditOutcome.FAILURE,
                "csrf_" + verdict.outcome().name().toLowerCase(), request.session().session().user(), request,
                request.session().sessionHash());
        return CompletableFuture.completedFuture(refusal(request, 403, "CSRF_REFUSED"));
    }

    /** Between one and ten codes separated by single spaces, each exactly recovery-code shaped; else empty. */
    static Optional<List<String>> codes(String field) {
        if (field.isEmpty()) {
            return Optional.empty();
        }
        List<String> codes = List.of(field.split(" ", -1));
        if (codes.size() > MAX_CODES || !codes.stream().allMatch(code -> CODE.matcher(code).matches())) {
            return Optional.empty();
        }
        return Optional.of(codes);
    }

    private static PortalResponse refusal(PortalRequest request, int status, String outcome) {
        PortalSite site = PortalContext.site(request);
        return PortalContext.page(site, site.pages().secondFactor().refusal(status,
                SecondFactorMessages.RECOVERY_CODES_TITLE, SecondFactorMessages.FORM_EXPIRED, PortalPaths.HOME,
                PortalMessages.GO_TO_ACCOUNT), outcome);
    }
}
