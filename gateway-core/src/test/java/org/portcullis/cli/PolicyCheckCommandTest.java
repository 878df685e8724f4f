package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.policy.Rules.rule;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.AccessControlConfig;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.HostPattern;
import org.portcullis.config.LimitsConfig;
import org.portcullis.config.LoadedConfig;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.RouteConfig;
import org.portcullis.config.SecondFactor;
import org.portcullis.config.ServerConfig;
import org.portcullis.config.UpstreamPaths;
import org.portcullis.policy.Rules;
import picocli.CommandLine;

/**
 * The simulator run in-process, with the config given as records through the command's config seam, so these tests
 * do not depend on the YAML loader ({@link PolicyCheckWithConfigLoaderTest} covers the loader path).
 */
class PolicyCheckCommandTest {

    static final Path FILE = Path.of("portcullis.yaml");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    /** The policy from the issue, as the loader would build it. */
    static final AccessControlConfig ISSUE_POLICY = policy(PolicyKind.DENY,
            rule("lb-health").hosts("records.example.org").paths("/healthz").network("lb_health", "10.0.0.5/32")
                    .policy(PolicyKind.BYPASS),
            rule("rule #2").hosts("*.example.org").paths("/admin/**").subjects("group:it-admins")
                    .factors(SecondFactor.WEBAUTHN).maxFactorAge(Duration.ofMinutes(15)).policy(PolicyKind.TWO_FACTOR),
            rule("rule #3").hosts("records.example.org").methods("DELETE")
                    .subjects("group:clinicians").subjects("user:alice").policy(PolicyKind.TWO_FACTOR),
            rule("rule #4").hosts("*.example.org").policy(PolicyKind.TWO_FACTOR));

    static AccessControlConfig policy(PolicyKind defaultPolicy, Rules... rules) {
        return new AccessControlConfig(defaultPolicy, Stream.of(rules).map(Rules::build).toList());
    }

    static LoadedConfig loaded(AccessControlConfig accessControl, List<ConfigProblem> warnings) {
        GatewayConfig config = new GatewayConfig(FILE, List.of(), new ServerConfig(List.of(), List.of()),
                LimitsConfig.defaults(), List.of(), Map.of(), accessControl, null, null, null, null, null,
                null, null);
        return new LoadedConfig(config, warnings);
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(PolicyCheckCommand.ConfigSource source, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == PolicyCheckCommand.class) {
                    return type.cast(new PolicyCheckCommand(source, CLOCK));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PolicyCommand(), factory);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    static Run check(String... args) {
        String[] full = Stream.concat(Stream.of("check", "--config", FILE.toString()), Stream.of(args))
                .toArray(String[]::new);
        return run(file -> loaded(ISSUE_POLICY, List.of()), full);
    }

    @Test
    void anAdminWithATotpIsAskedForASecurityKey() {
        Run run = check("--url", "https://admin.example.org/admin/x", "--user", "bob", "--groups", "it-admins",
                "--factors", "password,totp", "--factor-age", "20m");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(String.join("\n",
                "decision: challenge (second factor: webauthn)",
                "rule:     rule #2",
                "  lb-health   skipped: hosts: records.example.org does not match admin.example.org",
                "  rule #2     MATCHED",
                "strength: best (two factors: webauthn, phishing-resistant)",
                ""));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void anOldSecurityKeyAsksForAStepUp() {
        Run run = check("--url", "https://admin.example.org/admin/x", "--user", "bob", "--groups", "it-admins",
                "--factors", "webauthn", "--factor-age", "20m");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("decision: challenge (second factor: webauthn, younger than 15m)\n");
    }

    @Test
    void aFreshSecurityKeyIsAllowedWithExitCodeZero() {
        Run run = check("--url", "https://admin.example.org/admin/x", "--user", "bob", "--groups", "it-admins",
                "--factors", "password,webauthn", "--factor-age", "14m59s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("decision: allow (as bob, groups: it-admins)\nrule:     rule #2\n");
    }

    @Test
    void theLoadBalancerBypassesFromItsAddressOnly() {
        Run lb = check("--url", "https://records.example.org/healthz", "--ip", "10.0.0.5");
        Run other = check("--url", "https://records.example.org/healthz", "--ip", "10.0.0.6");
        Run none = check("--url", "https://records.example.org/healthz");

        assertThat(lb.exitCode()).isZero();
        assertThat(lb.out()).isEqualTo(String.join("\n",
                "decision: allow (bypass: no sign-in, no identity passed on)",
                "rule:     lb-health",
                "  lb-health   MATCHED",
                "strength: none (bypass: no sign-in)",
                ""));
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.out()).contains("  lb-health   skipped: networks: 10.0.0.6 is not in lb_health\n");
        assertThat(none.out()).contains("  lb-health   skipped: networks: no source address given\n");
    }

    @Test
    void anAnonymousDeleteIsAskedToSignInByTheSubjectRule() {
        Run run = check("--url", "https://records.example.org/patients/7", "--method", "delete");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(String.join("\n",
                "decision: challenge (sign-in: then the rules are evaluated again for the user)",
                "rule:     rule #3",
                "  lb-health   skipped: paths: /healthz does not match /patients/7",
                "  rule #2     skipped: paths: /admin/** does not match /patients/7",
                "  rule #3     MATCHED but for subjects: sign in first, then the rules are evaluated again",
                "strength: better (two factors: totp, webauthn)",
                ""));
    }

    @Test
    void theDefaultPolicyListsEveryRuleAsSkipped() {
        Run run = check("--url", "https://example.org/", "--user", "alice", "--factors", "totp");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(String.join("\n",
                "decision: deny (no_rule_matched)",
                "rule:     default_policy",
                "  lb-health   skipped: hosts: records.example.org does not match example.org",
                "  rule #2     skipped: hosts: *.example.org does not match example.org",
                "  rule #3     skipped: hosts: records.example.org does not match example.org",
                "  rule #4     skipped: hosts: *.example.org does not match example.org",
                "strength: - (deny: nobody gets through)",
                ""));
    }

    @Test
    void explainAlsoShowsTheRulesAfterTheDecidingOne() {
        Run run = check("--url", "https://records.example.org/healthz", "--ip", "10.0.0.5", "--explain");

        assertThat(run.out()).isEqualTo(String.join("\n",
                "decision: allow (bypass: no sign-in, no identity passed on)",
                "rule:     lb-health",
                "  lb-health   MATCHED",
                "  rule #2     not reached (skipped: paths: /admin/** does not match /healthz)",
                "  rule #3     not reached (skipped: methods: GET is not in [DELETE])",
                "  rule #4     not reached (would match)",
                "strength: none (bypass: no sign-in)",
                ""));
    }

    @Test
    void theHostIsCanonicalisedAndTheQueryIgnored() {
        Run run = check("--url", "https://Records.EXAMPLE.org.:8443/healthz?next=/admin", "--ip", "10.0.0.5");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("rule:     lb-health\n");
    }

    @Test
    void aRecoveryCodeIsOfferedOnlyWhereEveryFactorIsAccepted() {
        Run run = check("--url", "https://records.example.org/x", "--user", "alice");

        assertThat(run.out()).startsWith("decision: challenge (second factor: totp, webauthn or a recovery code)\n");
    }

    static Stream<Arguments> ingressRefusals() {
        return Stream.of(
                // 1: climbing above the root
                Arguments.of("/%2e%2e/admin",
                        "refuse with 400 at ingress (PATH_ABOVE_ROOT: '..' climbs above the root)"),
                // 2: a path parameter
                Arguments.of("/admin;jsessionid=1",
                        "refuse with 400 at ingress (PATH_PARAMETER: path parameter (';') in path)"),
                // 3: non-ASCII
                Arguments.of("/\u00e4", "refuse with 400 at ingress (NON_ASCII: non-ASCII byte in path)"),
                // 4: an encoded slash
                Arguments.of("/public%2F..%2Fadmin",
                        "refuse with 400 at ingress (ENCODED_SLASH: encoded slash in path)"));
    }

    /** The simulator runs the gateway's own path canonicalisation: what ingress refuses, it shows refused. */
    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("ingressRefusals")
    void pathsTheGatewayRefusesAtIngressAreShownRefused(String path, String decision) {
        Run run = check("--url", "https://records.example.org" + path);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("decision: " + decision + "\n"
                + "rule:     none: the gateway refuses the request before routing and policy\n");
    }

    @Test
    void dotSegmentsAreResolvedAsTheGatewayDoesBeforeTheRules() {
        Run run = check("--url", "https://admin.example.org/public/./..//admin/x");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith(String.join("\n",
                "path:     /admin/x (the canonical form the gateway decides on and forwards)",
                "decision: challenge (sign-in: then the rules are evaluated again for the user)",
                "rule:     rule #2",
                ""));
    }

    // --- paths: case_insensitive routes (SECURITY-RULES 22) ----------------------------------------------------

    /** The e2e policy of CaseInsensitiveUpstreamTest: /admin denied, /Manage/** two_factor, the rest bypassed. */
    static final AccessControlConfig WINDOWS_POLICY = policy(PolicyKind.BYPASS,
            rule("admin-closed").paths("/admin").policy(PolicyKind.DENY),
            rule("manage-needs-two-factors").paths("/Manage/**").policy(PolicyKind.TWO_FACTOR));

    static RouteConfig route(String name, String host, String prefix, UpstreamPaths paths) {
        return new RouteConfig(name, new HostPattern(host), prefix, URI.create("http://127.0.0.1:9"),
                RouteConfig.DEFAULT_UPSTREAM_TIMEOUT, null, null, List.of(), null, null, paths);
    }

    static final List<RouteConfig> WINDOWS_ROUTES = List.of(
            route("iis", "iis.example.org", "/", UpstreamPaths.CASE_INSENSITIVE),
            route("plain", "plain.example.org", "/", UpstreamPaths.CASE_SENSITIVE),
            route("mixed-root", "mixed.example.org", "/", UpstreamPaths.CASE_SENSITIVE),
            route("mixed-app", "mixed.example.org", "/App", UpstreamPaths.CASE_INSENSITIVE));

    static Run checkWindows(String... args) {
        String[] full = Stream.concat(Stream.of("check", "--config", FILE.toString()), Stream.of(args))
                .toArray(String[]::new);
        GatewayConfig config = new GatewayConfig(FILE, List.of(), new ServerConfig(List.of(), List.of()),
                LimitsConfig.defaults(), WINDOWS_ROUTES, Map.of(), WINDOWS_POLICY, null, null, null, null, null,
                null, null);
        return run(file -> new LoadedConfig(config, List.of()), full);
    }

    /**
     * The matrix of the e2e test: URL path; decision on the case-insensitive route; decision on the default route.
     * Paths are given as a client sends them and canonicalised as the gateway does ({@code %20} is a space).
     */
    static Stream<Arguments> windowsVariants() {
        String denied = "deny (denied_by_rule)";
        String signIn = "challenge (sign-in: password, then a second factor: totp, webauthn or a recovery code)";
        String refused = "refuse with 400 (windows_path_alias)";
        String bypass = "allow (bypass: no sign-in, no identity passed on)";
        return Stream.of(
                Arguments.of("/admin", denied, denied),
                Arguments.of("/ADMIN/users", denied, bypass),
                Arguments.of("/Admin", denied, bypass),
                Arguments.of("/aDmIn/x/y", denied, bypass),
                Arguments.of("/%41DMIN/users", denied, bypass),
                Arguments.of("/admin./", refused, bypass),
                Arguments.of("/admin%20/", refused, bypass),
                Arguments.of("/admin.../", refused, bypass),
                Arguments.of("/admin.", refused, bypass),
                Arguments.of("/admin%20", refused, bypass),
                Arguments.of("/admin%2e/users", refused, bypass),
                Arguments.of("/ADMINI~1/", refused, bypass),
                Arguments.of("/PROGRA~1.TXT", refused, bypass),
                Arguments.of("/admin::$DATA", refused, bypass),
                Arguments.of("/Manage/x", signIn, signIn),
                Arguments.of("/manage/x", signIn, bypass),
                Arguments.of("/MANAGE", signIn, bypass),
                Arguments.of("/Manage./x", refused, bypass),
                Arguments.of("/manage%20/x", refused, bypass),
                Arguments.of("/MANAGE~1/x", refused, bypass),
                Arguments.of("/Public/Leaflet.PDF", bypass, bypass));
    }

    @ParameterizedTest(name = "{index}: {0} → iis {1}, plain {2}")
    @MethodSource("windowsVariants")
    void theSimulatorDecidesEveryVariantAsTheGatewayDoesPerRoute(String path, String onIis, String onPlain) {
        Run iis = checkWindows("--url", "https://iis.example.org" + path);
        Run plain = checkWindows("--url", "https://plain.example.org" + path);

        assertThat(iis.out()).contains("route:    iis (paths: case_insensitive)\n")
                .contains("decision: " + onIis + "\n");
        assertThat(iis.exitCode()).isEqualTo(onIis.equals(bypassText()) ? 0 : 1);
        assertThat(plain.out()).contains("route:    plain\n").contains("decision: " + onPlain + "\n");
        assertThat(plain.exitCode()).isEqualTo(onPlain.equals(bypassText()) ? 0 : 1);
    }

    private static String bypassText() {
        return "allow (bypass: no sign-in, no identity passed on)";
    }

    @Test
    void aWindowsAliasIsExplainedWithoutTryingAnyRule() {
        Run run = checkWindows("--url", "https://iis.example.org/admin%20/users");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(String.join("\n",
                "path:     /admin /users (the canonical form the gateway decides on and forwards)",
                "route:    iis (paths: case_insensitive)",
                "decision: refuse with 400 (windows_path_alias)",
                "rule:     case_insensitive_paths",
                "  no rule tried: the route's upstream reads paths case-insensitively (paths: case_insensitive),"
                        + " and segment 'admin ' ends in a space, which Windows drops (it would read 'admin')",
                ""));
    }

    @Test
    void aShortNameIsExplained() {
        Run run = checkWindows("--url", "https://iis.example.org/ADMINI~1/users");

        assertThat(run.out()).contains("segment 'ADMINI~1' has the form of an 8.3 short name ('~' and a digit),"
                + " which Windows resolves to a long name\n");
    }

    @Test
    void aCaseVariantIsMatchedIgnoringCaseAndSaysSo() {
        Run run = checkWindows("--url", "https://iis.example.org/MANAGE/7", "--explain");

        assertThat(run.out()).isEqualTo(String.join("\n",
                "route:    iis (paths: case_insensitive)",
                "decision: challenge (sign-in: password, then a second factor: totp, webauthn or a recovery code)",
                "rule:     manage-needs-two-factors",
                "  admin-closed               skipped: paths: /admin does not match /MANAGE/7"
                        + " (compared ignoring case: paths: case_insensitive)",
                "  manage-needs-two-factors   MATCHED",
                "strength: better (two factors: totp, webauthn)",
                ""));
    }

    @Test
    void aCaseInsensitivePrefixIsRoutedLikeTheGatewayRoutesIt() {
        Run app = checkWindows("--url", "https://mixed.example.org/APP./x");
        Run root = checkWindows("--url", "https://mixed.example.org/application");
        Run nowhere = checkWindows("--url", "https://elsewhere.example.org/");

        assertThat(app.out()).startsWith("route:    mixed-app (paths: case_insensitive)\n"
                + "decision: refuse with 400 (windows_path_alias)\n");
        assertThat(root.out()).startsWith("route:    mixed-root\n");
        assertThat(nowhere.out()).startsWith("route:    none (no route serves this host and path: the gateway answers"
                + " 404)\n");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(List.of("--url", "ftp://records.example.org/"), "--url must be an absolute http"),
                Arguments.of(List.of("--url", "/admin"), "--url must be an absolute http"),
                Arguments.of(List.of("--url", "https://u:p@records.example.org/"), "--url must not contain user info"),
                Arguments.of(List.of("--url", "https://records.example.org/#x"), "must not contain a fragment"),
                Arguments.of(List.of("--url", "https://records example.org/"), "--url is not a valid URL"),
                // a host name would need DNS: refused, never looked up
                Arguments.of(List.of("--url", "https://x.example.org/", "--ip", "localhost"), "--ip must be a numeric IPv4 or IPv6 address"),
                Arguments.of(List.of("--url", "https://x.example.org/", "--ip", "10.0.0.0/8"), "--ip must be a numeric IPv4 or IPv6 address"),
                Arguments.of(List.of("--url", "https://x.example.org/", "--method", "GE T"), "--method must be"),
                Arguments.of(List.of("--url", "https://x.example.org/", "--groups", "a"), "give --user too"),
                Arguments.of(List.of("--url", "https://x.example.org/", "--factors", "totp"), "give --user too"),
                Arguments.of(List.of("--url", "https://x.example.org/", "--user", "a", "--factors", "sms"),
                        "unknown factor 'sms'"),
                Arguments.of(List.of("--url", "https://x.example.org/", "--user", "a", "--factors", "totp",
                        "--factor-age", "20 minutes"), "--factor-age: '20 minutes' is not a duration"),
                Arguments.of(List.of("--url", "https://x.example.org/", "--user", "a", "--factor-age", "5m"),
                        "--factor-age needs a second factor"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badInput")
    void badInputExitsWithTwoAndSaysWhy(List<String> args, String message) {
        Run run = check(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: ").contains(message);
    }

    @Test
    void missingRequiredOptionsAreBadInput() {
        Run run = run(file -> loaded(ISSUE_POLICY, List.of()), "check", "--url", "https://x.example.org/");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void configErrorsArePrintedEachAndExitWithTwo() {
        ConfigProblem first = new ConfigProblem(FILE, 7, "access_control.rules[0].policy",
                "option 'policy' must be one of bypass, one_factor, two_factor, deny but is 'allow'");
        ConfigProblem second = new ConfigProblem(FILE, 9, "networks.lan", "unknown network 'lan'");

        Run run = run(file -> {
            throw new ConfigException(List.of(first, second), List.of());
        }, "check", "--config", FILE.toString(), "--url", "https://x.example.org/");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(first + "\n" + second + "\nerror: portcullis.yaml: 2 error(s), see above\n");
    }

    @Test
    void configWarningsArePrintedAndTheCheckStillRuns() {
        ConfigProblem shadowed = new ConfigProblem(FILE, 12, "access_control.rules[3]", "shadowed by rule 'all'");

        Run run = run(file -> loaded(policy(PolicyKind.DENY, rule("all").policy(PolicyKind.BYPASS)),
                List.of(shadowed)), "check", "--config", FILE.toString(), "--url", "https://x.example.org/");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEqualTo("warning: " + shadowed + "\n");
    }

    @Test
    void aPolicyTheEngineCannotCompileIsBadInputNotAPass() {
        Run run = run(file -> loaded(policy(PolicyKind.BYPASS, rule("bad").paths("/admin*")), List.of()),
                "check", "--config", FILE.toString(), "--url", "https://x.example.org/");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("the access policy cannot be used: path pattern '/admin*'");
    }

    @Test
    void thePolicyCommandWithoutSubCommandPrintsUsageAndExitsWithTwo() {
        Run run = run(file -> loaded(ISSUE_POLICY, List.of()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: policy").contains("check");
    }
}
