package org.portcullis.audit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.portcullis.coverage.Guard;
import org.portcullis.coverage.MfaCoverage;
import org.portcullis.coverage.ProtectedSystem;

/**
 * The evidence for the MFA assertions of a Data Security and Protection Toolkit submission (NHS England's MFA policy,
 * 2023: MFA on all remote user access, on privileged access, every exception documented, approved and reviewed),
 * built only from the config (named by its SHA-256) and the sealed trail over the period (named by its first and last
 * hash). Each assertion lists its evidence items with their source and states its gaps plainly; {@link #limits} says
 * what no evidence here can show. Rendered by {@link EvidenceHtml} and {@link EvidenceJson}.
 *
 * @param configFile   the config file the evidence rests on
 * @param configSha256 SHA-256 of its bytes when the pack was made
 * @param report       the period's figures from the trail, with the config's coverage
 */
public record EvidencePack(Path configFile, String configSha256, AuditReport report, List<Assertion> assertions,
                           List<String> limits) {

    public static final String REMOTE_ACCESS = "remote-access-mfa";
    public static final String PRIVILEGED_ACCESS = "privileged-access-mfa";
    public static final String EXCEPTIONS = "exceptions-managed";

    public EvidencePack {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(configSha256, "configSha256");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(report.coverage(), "report.coverage");
        assertions = List.copyOf(assertions);
        limits = List.copyOf(limits);
    }

    /** One assertion: what the policy asks, what the records show, and what they do not. */
    public record Assertion(String id, String title, String asks, List<Item> items, List<String> gaps) {
        public Assertion {
            items = List.copyOf(items);
            gaps = List.copyOf(gaps);
        }
    }

    /** One piece of evidence and where it comes from ({@code config} or {@code trail}). */
    public record Item(String text, String source) {
    }

    public boolean intact() {
        return report.verification() instanceof AuditVerifier.Intact;
    }

    /** The trail source of an item: the sealed range, or the fact that the period has no sealed line. */
    public String trailSource() {
        AuditReport.MfaTrail mfa = report.mfa();
        if (mfa.first() == null) {
            return "trail: no sealed line in the period";
        }
        return "trail: sequence " + mfa.first().sequence() + " to " + mfa.last().sequence() + ", first hash "
                + mfa.first().hash() + ", last hash " + mfa.last().hash();
    }

    public String configSource() {
        return "config: " + configFile.getFileName() + " SHA-256 " + configSha256;
    }

    public static EvidencePack build(Path configFile, String configSha256, AuditReport report) {
        MfaCoverage coverage = Objects.requireNonNull(report.coverage(), "report.coverage");
        EvidencePack draft = new EvidencePack(configFile, configSha256, report, List.of(), List.of());
        return new EvidencePack(configFile, configSha256, report, List.of(draft.remoteAccess(coverage),
                draft.privilegedAccess(coverage), draft.exceptions(coverage)), limits(coverage));
    }

    private Assertion remoteAccess(MfaCoverage coverage) {
        String config = configSource();
        String trail = trailSource();
        List<Item> items = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        for (ProtectedSystem system : coverage.systems()) {
            items.add(new Item(system.ref() + " (" + system.where() + "): weakest strength "
                    + system.weakest().map(Object::toString).orElse("- (every rule refuses)") + "; rules "
                    + system.guards().stream().map(g -> g.rule() + " " + g.policy()).toList(), config));
            for (Guard guard : system.guards()) {
                if (guard.isWeak()) {
                    gaps.add(system.ref() + ": rule " + guard.rule() + " lets requests through with strength "
                            + guard.strength() + (guard.exception() == null ? " and names no exception"
                            : " under exception " + guard.exception() + " (" + guard.state().label() + ")"));
                }
            }
        }
        if (coverage.systems().isEmpty()) {
            gaps.add("The config protects no system.");
        }
        AuditReport.FactorUse use = report.mfa().use();
        items.add(new Item(use.total() + " sign-ins completed in the period: " + use.totp() + " with an authenticator "
                + "code, " + use.webauthn() + " with a security key, " + use.passkey() + " with a verified passkey, "
                + use.recoveryCodes() + " with a recovery code, " + use.passwordOnly() + " with a password alone ("
                + MfaCoverageHtml.percent(use.total() - use.passwordOnly(), use.total()) + " with a second factor)",
                trail));
        if (use.passwordOnly() > 0) {
            gaps.add(use.passwordOnly() + " sign-ins in the period completed with a password alone (allowed by the "
                    + "one_factor rules above; a two-factor rule reached later asks for a second factor then).");
        }
        boolean ranWithThisConfig = report.mfa().configHashes().contains(configSha256);
        items.add(new Item("gateway starts in the period: " + report.mfa().configHashes().size()
                + " distinct config SHA-256; this config " + (ranWithThisConfig ? "is" : "is NOT") + " among them; "
                + report.mfa().reloads() + " config reloads", trail));
        if (!ranWithThisConfig) {
            gaps.add("The trail shows no gateway start with this config's SHA-256 in the period, so it does not show "
                    + "that this config was the one in force" + (report.mfa().reloads() > 0
                    ? " (" + report.mfa().reloads() + " reloads happened; the trail does not record a reloaded config's "
                    + "hash)" : "") + ".");
        }
        AuditReport.Change check = report.mfa().lastCoverageCheck();
        if (check == null) {
            gaps.add("No coverage check from outside (coverage check --from-here) is in the trail: nothing shows the "
                    + "systems cannot be reached around the gateway.");
        } else {
            items.add(new Item("last coverage check " + check.time() + ": " + check.outcome() + " ("
                    + check.detail() + ")", trail));
            if (!"success".equals(check.outcome())) {
                gaps.add("The last coverage check found entry points answering around the gateway: " + check.detail());
            }
        }
        if (coverage.entryPoints() == 0) {
            gaps.add("The config declares no entry points, so no check could try the systems' own addresses.");
        }
        if (!intact()) {
            gaps.add("The trail's hash chain is broken: its figures cannot be trusted as the record.");
        }
        return new Assertion(REMOTE_ACCESS, "Remote access needs MFA",
                "MFA is enforced on all remote user access to all systems (NHS England MFA policy; DSPT MFA "
                        + "assertion; CAF B2.a).", items, gaps);
    }

    private Assertion privilegedAccess(MfaCoverage coverage) {
        List<Item> items = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        for (Guard guard : coverage.restricted()) {
            items.add(new Item("rule " + guard.rule() + " (" + guard.condition() + "): " + guard.policy()
                    + (guard.factors().isEmpty() ? "" : " " + guard.factors()) + ", strength "
                    + (guard.strength() == null ? "- (deny)" : guard.strength()), configSource()));
            if (guard.isWeak()) {
                gaps.add("rule " + guard.rule() + " is limited to named users or groups but needs only strength "
                        + guard.strength() + ".");
            }
        }
        if (coverage.restricted().isEmpty()) {
            gaps.add("No rule is limited to named users or groups: the config does not single out privileged access, "
                    + "which has the protection shown under remote access.");
        }
        gaps.add("The gateway does not know which accounts or groups are privileged: confirm which of the rules above "
                + "guard administrative access.");
        return new Assertion(PRIVILEGED_ACCESS, "Privileged access needs MFA",
                "MFA is enforced on privileged access to externally hosted systems (NHS England MFA policy; CAF B2.c).",
                items, gaps);
    }

    private Assertion exceptions(MfaCoverage coverage) {
        List<Item> items = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        for (MfaCoverage.RegisterRow row : coverage.register()) {
            items.add(new Item(row.entry().id() + ": " + row.entry().reason() + "; risk owner "
                    + row.entry().riskOwner() + "; approved by " + row.entry().approver() + " on "
                    + row.entry().approvedOn() + "; review by " + row.entry().reviewBy() + "; " + row.state().label()
                    + "; rules " + row.rules(), configSource()));
            if (row.state().lapsed()) {
                gaps.add("Exception " + row.entry().id() + " lapsed after " + row.entry().reviewBy() + " ("
                        + row.state().label() + ").");
            }
        }
        for (String rule : coverage.unexcepted()) {
            gaps.add("Rule " + rule + " is weaker than two factors on a protected system and names no exception.");
        }
        if (!coverage.exceptionsRequired()) {
            gaps.add("access_control.exceptions_required is false: the gateway would accept a weak rule without an "
                    + "exception (it only warns).");
        }
        if (coverage.register().isEmpty() && coverage.unexcepted().isEmpty()) {
            items.add(new Item("No exceptions: every rule on a protected system needs two factors or refuses.",
                    configSource()));
        }
        return new Assertion(EXCEPTIONS, "Exceptions are documented, approved and reviewed",
                "Every exception is documented, risk-assessed, approved, reviewed at least yearly and reduced (NHS "
                        + "England MFA policy).", items, gaps);
    }

    private static List<String> limits(MfaCoverage coverage) {
        return List.of(
                "Systems that are neither behind the gateway nor declared as entry points are outside this evidence: "
                        + "it cannot show that no other way in exists.",
                "A coverage check shows what answered from where it ran, when it ran; other networks may see more.",
                "The config is named by its SHA-256 now; files it reads (users, keys, certificates) are not hashed.",
                "Sign-in figures count what the gateway saw; access that never reached it is not counted.",
                "The trail proves order and integrity under its key (HMAC chain); lines removed from its very end "
                        + "leave a valid shorter chain: compare the last hash with a copy kept elsewhere.");
    }
}
