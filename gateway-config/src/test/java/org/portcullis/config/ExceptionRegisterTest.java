package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exception register, minimum strength and entry points as a user reads them from {@code config validate}: every
 * kind of exception (valid, near its review, lapsed, missing, unknown id) with its full message, file and line, on a
 * day fixed by the clock.
 */
class ExceptionRegisterTest {
    /** "Today" for every test: 2026-12-07. */
    static final Clock TODAY = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Lines 1-7: server and one route; access_control starts on line 8. */
    static final String HEAD = """
            server:
              listeners:
                - address: 127.0.0.1:8080
            routes:
              - name: records
                host: records.example.org
                upstream: http://127.0.0.1:9000
            """;

    /** Every kind of exception. Line numbers in the assertions below count from line 1 of HEAD. */
    static final String EVERY_KIND = HEAD + """
            access_control:
              default_policy: deny
              rules:
                - id: health
                  paths: [/healthz]
                  policy: bypass
                  exception: health-probe
                - id: kiosk
                  networks: [10.20.0.0/16]
                  policy: one_factor
                  exception: ward-kiosks
                - id: legacy-api
                  paths: [/api/**]
                  policy: one_factor
                  exception: legacy-api
                - id: scanner
                  paths: [/scan/**]
                  policy: bypass
                - id: typo
                  paths: [/typo/**]
                  policy: one_factor
                  exception: no-such-entry
                - id: records
                  policy: two_factor
              exceptions:
                - id: health-probe
                  reason: load balancer health check; returns a fixed string
                  risk_owner: Head of IT
                  approver: Caldicott Guardian
                  approved_on: 2026-06-01
                  review_by: 2027-05-31
                - id: ward-kiosks
                  reason: shared kiosks on the ward network; replacement by smart cards due 2027
                  risk_owner: Ward manager
                  approver: SIRO
                  approved_on: 2026-01-02
                  review_by: 2026-12-20
                - id: legacy-api
                  reason: device integration that cannot carry a second factor
                  risk_owner: Clinical systems lead
                  approver: SIRO
                  approved_on: 2025-12-01
                  review_by: 2026-11-30
            """;

    LoadedConfig load(String yaml) throws Exception {
        return new ConfigLoader(Map.of(), TODAY).load(Files.writeString(dir.resolve("portcullis.yml"), yaml));
    }

    List<String> errors(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("portcullis.yml"), yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(Map.of(), TODAY).load(file));
        assertThat(e).as("config should have failed to load").isNotNull();
        return e.errors().stream().map(ConfigProblem::toString).toList();
    }

    /** The warnings of this feature (a config without a portal also earns the no-portal warning, not ours). */
    static List<String> coverageWarnings(LoadedConfig loaded) {
        return loaded.warnings().stream().map(ConfigProblem::toString)
                .filter(w -> !w.contains("there is no portal section")).toList();
    }

    String at(int line, String message) {
        return dir.resolve("portcullis.yml") + ":" + line + ": " + message;
    }

    @Test
    void everyKindOfExceptionIsReportedWithItsLine() throws Exception {
        // the unknown id is an error whatever exceptions_required says
        assertThat(errors(EVERY_KIND)).containsExactly(at(29, "access_control.rules[4].exception: 'no-such-entry' is "
                + "not an entry of access_control.exceptions (ids: health-probe, ward-kiosks, legacy-api)"));

        String withoutTypo = EVERY_KIND.replace("      exception: no-such-entry\n", "");
        LoadedConfig loaded = load(withoutTypo);
        assertThat(coverageWarnings(loaded)).containsExactly(
                at(23, "access_control.rules[3]: rule 'scanner' lets requests to route 'records' through with no "
                        + "sign-in (policy bypass) and names no exception (allowed: two_factor or deny, or 'exception: "
                        + "ID' naming an approved entry of access_control.exceptions)"),
                at(26, "access_control.rules[4]: rule 'typo' lets requests to route 'records' through with a "
                        + "password alone (policy one_factor) and names no exception (allowed: two_factor or deny, or "
                        + "'exception: ID' naming an approved entry of access_control.exceptions)"),
                // ward-kiosks: 13 days to go
                at(43, "access_control.exceptions[1].review_by: exception 'ward-kiosks' is due for review by "
                        + "2026-12-20 (in 13 days); after that day its rules are treated as deny unless "
                        + "access_control.exceptions_expired is warn"),
                at(49, "access_control.exceptions[2].review_by: exception 'legacy-api' LAPSED after 2026-11-30: "
                        + "rule(s) legacy-api now refuse every request they match (as policy deny) until the "
                        + "exception is reviewed and its review_by moved"));
        AccessControlConfig policy = loaded.config().accessControl();
        assertThat(policy.exceptions()).hasSize(3);
        assertThat(policy.exceptionOf(policy.rules().get(0)).orElseThrow().approver()).isEqualTo("Caldicott Guardian");
        assertThat(policy.exceptionOf(policy.rules().get(0)).orElseThrow().reviewBy())
                .isEqualTo(LocalDate.of(2027, 5, 31));
        assertThat(policy.exceptionsExpired()).isEqualTo(ExpiredExceptions.DENY);
    }

    @Test
    void aLapsedExceptionKeptByExceptionsExpiredWarnIsALoudWarning() throws Exception {
        String yaml = EVERY_KIND.replace("      exception: no-such-entry\n", "")
                .replace("  default_policy: deny\n", "  default_policy: deny\n  exceptions_expired: warn\n");
        List<String> warnings = load(yaml).warnings().stream().map(ConfigProblem::toString).toList();
        assertThat(warnings).contains(at(50, "access_control.exceptions[2].review_by: EXCEPTION LAPSED: 'legacy-api' "
                + "was due for review by 2026-11-30, yet rule(s) legacy-api STILL LET REQUESTS THROUGH with less than "
                + "two factors because access_control.exceptions_expired is warn; review and re-approve it now"));
    }

    @Test
    void exceptionsRequiredRefusesAWeakRuleWithoutAnException() throws Exception {
        String yaml = EVERY_KIND.replace("      exception: no-such-entry\n", "")
                .replace("  default_policy: deny\n", "  default_policy: deny\n  exceptions_required: true\n");
        assertThat(errors(yaml)).containsExactly(
                at(24, "access_control.rules[3]: rule 'scanner' lets requests to route 'records' through with no "
                        + "sign-in (policy bypass) and names no exception (allowed: two_factor or deny, or 'exception: "
                        + "ID' naming an approved entry of access_control.exceptions)"),
                at(27, "access_control.rules[4]: rule 'typo' lets requests to route 'records' through with a "
                        + "password alone (policy one_factor) and names no exception (allowed: two_factor or deny, or "
                        + "'exception: ID' naming an approved entry of access_control.exceptions)"));
    }

    @Test
    void aNetworkWaiverAndAWeakDefaultAreNamed() throws Exception {
        String yaml = HEAD + """
                networks:
                  trust_lan: [10.0.0.0/8]
                access_control:
                  default_policy: one_factor
                  rules:
                    - networks: [trust_lan]
                      policy: bypass
                """;
        assertThat(coverageWarnings(load(yaml))).containsExactly(
                at(11, "access_control.default_policy: default_policy one_factor lets requests to route 'records' "
                        + "through with less than two factors, and a default cannot name an exception (allowed: "
                        + "two_factor or deny, with weak rules that name exceptions)"),
                at(13, "access_control.rules[0]: rule 'rule #1' lets requests to route 'records' through with no "
                        + "sign-in (policy bypass) from [trust_lan] (a network-based waiver) and names no exception "
                        + "(allowed: two_factor or deny, or 'exception: ID' naming an approved entry of "
                        + "access_control.exceptions)"));
    }

    @Test
    void aWeakRuleForAHostNoRouteServesNeedsNoException() throws Exception {
        String yaml = HEAD + """
                access_control:
                  rules:
                    - hosts: [public.example.org]
                      policy: bypass
                    - hosts: ["*.example.org"]
                      policy: two_factor
                """;
        assertThat(coverageWarnings(load(yaml))).isEmpty();
    }

    @Test
    void anEntryMustBeCompleteAndReviewedWithinTwelveMonths() throws Exception {
        String yaml = HEAD + """
                access_control:
                  exceptions:
                    - id: a
                      reason: r
                      risk_owner: o
                      approver: p
                      approved_on: 2026-01-15
                      review_by: 2027-01-16
                    - id: b
                      reason: r
                      risk_owner: o
                      approver: p
                      approved_on: 2026-01-15
                      review_by: 2026-01-15
                    - id: a
                      reason: r
                      approved_on: 15/01/2026
                      review_by: 2026-02-30
                """;
        assertThat(errors(yaml)).containsExactly(
                at(15, "access_control.exceptions[0].review_by: 2027-01-16 is more than 12 months after approved_on "
                        + "2026-01-15 (allowed: up to 2027-01-15; exceptions are reviewed at least yearly)"),
                at(21, "access_control.exceptions[1].review_by: 2026-01-15 is not after approved_on 2026-01-15"),
                at(22, "access_control.exceptions[2].id: 'a' is already used by access_control.exceptions[0]"),
                at(22, "access_control.exceptions[2].risk_owner: missing (required)"),
                at(22, "access_control.exceptions[2].approver: missing (required)"),
                at(24, "access_control.exceptions[2].approved_on: '15/01/2026' is not a date (allowed: YYYY-MM-DD)"),
                at(25, "access_control.exceptions[2].review_by: '2026-02-30' is not a date (allowed: YYYY-MM-DD)"));
    }

    @Test
    void minimumStrengthIsCheckedAgainstTheFactors() throws Exception {
        String yaml = HEAD + """
                access_control:
                  rules:
                    - paths: [/a/**]
                      policy: two_factor
                      factors: [totp]
                      minimum_strength: best
                    - paths: [/b/**]
                      policy: deny
                      minimum_strength: best
                    - paths: [/c/**]
                      policy: two_factor
                      minimum_strength: weak
                    - policy: two_factor
                      minimum_strength: best
                """;
        assertThat(errors(yaml)).containsExactly(
                at(13, "access_control.rules[0].minimum_strength: no factor in 'factors' reaches strength best (totp is "
                        + "better, webauthn is best)"),
                at(16, "access_control.rules[1].minimum_strength: only allowed with policy two_factor (policy is deny)"),
                at(19, "access_control.rules[2].minimum_strength: 'weak' is not a minimum strength (allowed: better, "
                        + "best)"));
        String valid = yaml.substring(0, yaml.indexOf("    - paths: [/a/**]")) + """
                    - policy: two_factor
                      minimum_strength: best
                """;
        AccessRule rule = load(valid).config().accessControl().rules().get(0);
        assertThat(rule.minimumStrength()).isEqualTo(FactorStrength.BEST);
    }

    @Test
    void entryPointsNameOneProtectedSystemOfThisConfig() throws Exception {
        String yaml = HEAD + """
                entry_points:
                  - address: 10.1.2.3:8443
                    scheme: https
                    route: records
                  - address: ehr-db.internal:1433
                    route: records
                  - address: 10.1.2.4:3389
                    desktop: ward-pc
                  - address: not a host
                    scheme: ftp
                    route: nope
                  - address: 10.1.2.5:22
                """;
        assertThat(errors(yaml)).containsExactly(
                at(15, "entry_points[2].desktop: 'ward-pc' is not a desktop of this config (desktops: none)"),
                at(16, "entry_points[3].address: 'not a host' is not a host:port (allowed: a host name or IP literal and a "
                        + "port 1-65535, IPv6 in [])"),
                at(17, "entry_points[3].scheme: 'ftp' is not a scheme (allowed: http, https; leave it out for a plain "
                        + "TCP service)"),
                at(18, "entry_points[3].route: 'nope' is not a route of this config (routes: records)"),
                at(19, "entry_points[4]: names no protected system or more than one (allowed: exactly one of route, "
                        + "desktop, target)"));
        String valid = yaml.substring(0, yaml.indexOf("  - address: 10.1.2.4:3389"));
        List<EntryPoint> points = load(valid).config().entryPoints();
        assertThat(points).extracting(EntryPoint::toString)
                .containsExactly("https://10.1.2.3:8443", "ehr-db.internal:1433");
        assertThat(points.get(1).protectedBy()).isEqualTo(new ProtectedRef(ProtectedRef.Kind.ROUTE, "records"));
    }
}
