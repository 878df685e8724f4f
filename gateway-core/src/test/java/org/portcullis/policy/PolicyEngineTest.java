package org.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.policy.Rules.rule;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.config.AccessControlConfig;
import org.portcullis.config.AccessRule;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.UpstreamPaths;
import org.portcullis.config.SecondFactor;

class PolicyEngineTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Identity ALICE = new Identity("alice", Set.of("clinicians"));
    static final Identity BOB = new Identity("Bob", Set.of("IT-Admins", "clinicians"));

    static final AuthState ANONYMOUS = AuthState.anonymous();

    static AuthState.SignedIn passwordOnly(Identity identity) {
        return AuthState.signedIn(identity, NOW.minus(Duration.ofHours(1)));
    }

    static AuthState.SignedIn withFactor(Identity identity, AuthFactor factor, Duration age) {
        return passwordOnly(identity).withFactor(factor, NOW.minus(age));
    }

    static AccessRequest request(String method, String host, String path, String source) {
        try {
            return new AccessRequest(method, host, path, source == null ? null : InetAddress.getByName(source),
                    UpstreamPaths.CASE_SENSITIVE);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static AccessRequest get(String host, String path) {
        return request("GET", host, path, "192.0.2.10");
    }

    static PolicyEngine engine(PolicyKind defaultPolicy, Rules... rules) {
        List<AccessRule> built = Stream.of(rules).map(Rules::build).toList();
        return new PolicyEngine(new AccessControlConfig(defaultPolicy, built), CLOCK);
    }

    static PolicyEngine engine(Rules... rules) {
        return engine(PolicyKind.DENY, rules);
    }

    /** Decides, and checks that the explanation reaches the same decision: the simulator must never disagree. */
    static Decision decide(PolicyEngine engine, AccessRequest request, AuthState auth) {
        Decision decision = engine.decide(request, auth);
        assertThat(engine.explain(request, auth).decision()).isEqualTo(decision);
        return decision;
    }

    static Decision.Allow bypass(String rule) {
        return new Decision.Allow(rule, null);
    }

    static Decision.Deny denied(String rule) {
        return new Decision.Deny(rule, DenyReason.DENIED_BY_RULE);
    }

    static final Decision.Deny DEFAULT_DENY = new Decision.Deny("default_policy", DenyReason.NO_RULE_MATCHED);

    static Decision.Challenge signIn(String rule) {
        return new Decision.Challenge(rule, new Requirement.SignIn());
    }

    static Decision.Challenge secondFactor(String rule, SecondFactor... accepted) {
        return new Decision.Challenge(rule, new Requirement.SecondFactorRequired(Set.of(accepted)));
    }

    @Nested
    class EachFieldAlone {

        @Test
        void anEmptyRuleMatchesEveryRequest() {
            PolicyEngine engine = engine(rule("all").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, request("DELETE", "x.test", "/a/b", "2001:db8::1"), ANONYMOUS))
                    .isEqualTo(bypass("all"));
        }

        @Test
        void hostsMatchExactNamesOnly() {
            PolicyEngine engine = engine(rule("r").hosts("records.example.org").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, get("records.example.org", "/"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("admin.example.org", "/"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
            assertThat(decide(engine, get("records.example.org.evil.test", "/"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
            assertThat(decide(engine, get("x.records.example.org", "/"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
        }

        @Test
        void hostPatternsAreCaseInsensitiveAgainstTheCanonicalLowerCaseHost() {
            PolicyEngine engine = engine(rule("r").hosts("Records.EXAMPLE.org.").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, get("records.example.org", "/"), ANONYMOUS)).isEqualTo(bypass("r"));
        }

        @Test
        void wildcardHostsMatchSubdomainsButNotTheApexOrLookalikes() {
            PolicyEngine engine = engine(rule("r").hosts("*.example.org").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, get("records.example.org", "/"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("a.b.example.org", "/"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("example.org", "/"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
            assertThat(decide(engine, get("evilexample.org", "/"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
            assertThat(decide(engine, get("example.org.evil.test", "/"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
        }

        @Test
        void anyOfSeveralHostsMatches() {
            PolicyEngine engine = engine(rule("r").hosts("a.test", "*.b.test").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, get("a.test", "/"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("x.b.test", "/"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("c.test", "/"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
        }

        @Test
        void pathsArePrefixesOnSegmentBoundaries() {
            PolicyEngine engine = engine(rule("r").paths("/healthz").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, get("x.test", "/healthz"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("x.test", "/healthz/"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("x.test", "/healthz/deep"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("x.test", "/healthzz"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
            assertThat(decide(engine, get("x.test", "/HEALTHZ"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
            assertThat(decide(engine, get("x.test", "/api/healthz"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
        }

        @Test
        void anyOfSeveralPathsMatches() {
            PolicyEngine engine = engine(rule("r").paths("/a", "/b/*/c").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, get("x.test", "/a/1"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("x.test", "/b/2/c"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, get("x.test", "/b/c"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
        }

        @Test
        void methodsCompareExactUpperCaseTokens() {
            PolicyEngine engine = engine(rule("r").methods("DELETE", "PUT").policy(PolicyKind.DENY),
                    rule("rest").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, request("DELETE", "x.test", "/", "192.0.2.1"), ANONYMOUS))
                    .isEqualTo(denied("r"));
            assertThat(decide(engine, request("PUT", "x.test", "/", "192.0.2.1"), ANONYMOUS))
                    .isEqualTo(denied("r"));
            assertThat(decide(engine, request("GET", "x.test", "/", "192.0.2.1"), ANONYMOUS))
                    .isEqualTo(bypass("rest"));
            // RFC 9110 §9.1: methods are case-sensitive, "delete" is another method (ingress upper-cases nothing)
            assertThat(decide(engine, request("delete", "x.test", "/", "192.0.2.1"), ANONYMOUS))
                    .isEqualTo(bypass("rest"));
        }

        @Test
        void networksMatchIpv4AndIpv6Cidrs() {
            PolicyEngine engine = engine(
                    rule("lan").network("trust_lan", "10.20.0.0/16", "2001:db8::/32").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, request("GET", "x.test", "/", "10.20.255.1"), ANONYMOUS))
                    .isEqualTo(bypass("lan"));
            assertThat(decide(engine, request("GET", "x.test", "/", "2001:db8:ffff::1"), ANONYMOUS))
                    .isEqualTo(bypass("lan"));
            assertThat(decide(engine, request("GET", "x.test", "/", "10.21.0.1"), ANONYMOUS))
                    .isEqualTo(DEFAULT_DENY);
            assertThat(decide(engine, request("GET", "x.test", "/", "2001:db9::1"), ANONYMOUS))
                    .isEqualTo(DEFAULT_DENY);
        }

        @Test
        void ipv4MappedIpv6SourcesMatchIpv4Networks() {
            PolicyEngine engine = engine(rule("lb").network("lb_health", "10.0.0.5/32").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, request("GET", "x.test", "/", "::ffff:10.0.0.5"), ANONYMOUS))
                    .isEqualTo(bypass("lb"));
            assertThat(decide(engine, request("GET", "x.test", "/", "::ffff:10.0.0.6"), ANONYMOUS))
                    .isEqualTo(DEFAULT_DENY);
        }

        @Test
        void anyOfSeveralNetworksMatches() {
            PolicyEngine engine = engine(rule("r").network("a", "10.0.0.0/8").network("192.0.2.7/32", "192.0.2.7/32")
                    .policy(PolicyKind.BYPASS));

            assertThat(decide(engine, request("GET", "x.test", "/", "192.0.2.7"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, request("GET", "x.test", "/", "10.9.9.9"), ANONYMOUS)).isEqualTo(bypass("r"));
            assertThat(decide(engine, request("GET", "x.test", "/", "192.0.2.8"), ANONYMOUS)).isEqualTo(DEFAULT_DENY);
        }

        @Test
        void anUnknownSourceIsInNoNetwork() {
            PolicyEngine engine = engine(rule("lb").network("all", "0.0.0.0/0", "::/0").policy(PolicyKind.BYPASS),
                    rule("rest").policy(PolicyKind.ONE_FACTOR));

            assertThat(decide(engine, request("GET", "x.test", "/", null), ANONYMOUS)).isEqualTo(signIn("rest"));
        }
    }

    @Nested
    class FieldsCombined {

        final PolicyEngine engine = engine(
                rule("lb-health").hosts("records.example.org").paths("/healthz").methods("GET")
                        .network("lb_health", "10.0.0.5/32").policy(PolicyKind.BYPASS),
                rule("rest").policy(PolicyKind.ONE_FACTOR));

        @Test
        void allFieldsMustMatch() {
            assertThat(decide(engine, request("GET", "records.example.org", "/healthz", "10.0.0.5"), ANONYMOUS))
                    .isEqualTo(bypass("lb-health"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.portcullis.policy.PolicyEngineTest#oneFieldOff")
        void oneFieldOffAndTheRuleDoesNotMatch(String field, AccessRequest request) {
            assertThat(decide(engine, request, ANONYMOUS)).isEqualTo(signIn("rest"));
            RuleTrace trace = engine.explain(request, ANONYMOUS).rules().get(0);
            assertThat(trace).isInstanceOf(RuleTrace.Skipped.class);
            assertThat(((RuleTrace.Skipped) trace).field().yamlName()).isEqualTo(field);
        }

        @Test
        void theQueryNeverReachesMatchingSoItCannotWidenABypass() {
            // the caller passes the canonical path only; a path containing '?' is a decoded %3F, a literal character
            assertThat(decide(engine, request("GET", "records.example.org", "/healthz?/../admin", "10.0.0.5"),
                    ANONYMOUS)).isEqualTo(signIn("rest"));
        }
    }

    static Stream<Arguments> oneFieldOff() {
        return Stream.of(
                Arguments.of("hosts", request("GET", "admin.example.org", "/healthz", "10.0.0.5")),
                Arguments.of("paths", request("GET", "records.example.org", "/healthz2", "10.0.0.5")),
                Arguments.of("methods", request("POST", "records.example.org", "/healthz", "10.0.0.5")),
                Arguments.of("networks", request("GET", "records.example.org", "/healthz", "10.0.0.6")));
    }

    @Nested
    class Ordering {

        @Test
        void theFirstMatchingRuleWinsEvenWhenALaterOneIsStricter() {
            PolicyEngine engine = engine(
                    rule("public").paths("/public").policy(PolicyKind.BYPASS),
                    rule("all").policy(PolicyKind.DENY));

            assertThat(decide(engine, get("x.test", "/public/logo.png"), ANONYMOUS)).isEqualTo(bypass("public"));
            assertThat(decide(engine, get("x.test", "/private"), ANONYMOUS)).isEqualTo(denied("all"));
        }

        @Test
        void theFirstMatchingRuleWinsEvenWhenALaterOneIsLaxer() {
            PolicyEngine engine = engine(
                    rule("all").policy(PolicyKind.DENY),
                    rule("public").paths("/public").policy(PolicyKind.BYPASS));

            assertThat(decide(engine, get("x.test", "/public/logo.png"), ANONYMOUS)).isEqualTo(denied("all"));
        }

        @Test
        void noRulesAndDefaultDenyDeniesEverything() {
            PolicyEngine engine = new PolicyEngine(AccessControlConfig.denyAll(), CLOCK);

            assertThat(decide(engine, get("x.test", "/"), withFactor(BOB, AuthFactor.WEBAUTHN, Duration.ZERO)))
                    .isEqualTo(DEFAULT_DENY);
        }

        @Test
        void theDefaultPolicyDecidesUnderItsOwnName() {
            assertThat(decide(engine(PolicyKind.BYPASS), get("x.test", "/"), ANONYMOUS))
                    .isEqualTo(bypass("default_policy"));
            assertThat(decide(engine(PolicyKind.ONE_FACTOR), get("x.test", "/"), passwordOnly(ALICE)))
                    .isEqualTo(new Decision.Allow("default_policy", ALICE));
            assertThat(decide(engine(PolicyKind.TWO_FACTOR), get("x.test", "/"), passwordOnly(ALICE)))
                    .isEqualTo(secondFactor("default_policy", SecondFactor.TOTP, SecondFactor.WEBAUTHN));
            assertThat(decide(engine(PolicyKind.TWO_FACTOR), get("x.test", "/"),
                    withFactor(ALICE, AuthFactor.TOTP, Duration.ofDays(1))))
                    .isEqualTo(new Decision.Allow("default_policy", ALICE));
        }
    }

    @Nested
    class Subjects {

        final PolicyEngine engine = engine(
                rule("delete").hosts("records.example.org").methods("DELETE")
                        .subjects("group:clinicians").subjects("user:alice").policy(PolicyKind.ONE_FACTOR),
                rule("admins").paths("/admin").subjects("group:it-admins", "user:bob").policy(PolicyKind.ONE_FACTOR),
                rule("rest").policy(PolicyKind.DENY));

        @Test
        void anAnonymousRequestIsAskedToSignInByTheSubjectRuleAndDoesNotFallThrough() {
            assertThat(decide(engine, request("DELETE", "records.example.org", "/p/1", "192.0.2.1"), ANONYMOUS))
                    .isEqualTo(signIn("delete"));
            assertThat(engine.explain(request("DELETE", "records.example.org", "/p/1", "192.0.2.1"), ANONYMOUS)
                    .rules().get(0)).isEqualTo(new RuleTrace.SignInFirst("delete"));
        }

        @Test
        void subjectsAreAnOrOfAnds() {
            AccessRequest delete = request("DELETE", "records.example.org", "/p/1", "192.0.2.1");
            Identity clinician = new Identity("carol", Set.of("clinicians"));
            Identity aliceNoGroups = new Identity("alice", Set.of());
            Identity stranger = new Identity("mallory", Set.of("visitors"));

            assertThat(decide(engine, delete, passwordOnly(clinician)))
                    .isEqualTo(new Decision.Allow("delete", clinician));
            assertThat(decide(engine, delete, passwordOnly(aliceNoGroups)))
                    .isEqualTo(new Decision.Allow("delete", aliceNoGroups));
            assertThat(decide(engine, delete, passwordOnly(stranger))).isEqualTo(denied("rest"));
        }

        @Test
        void everyTermOfAnAndGroupMustHold() {
            Identity bobNotAdmin = new Identity("bob", Set.of("clinicians"));
            Identity otherAdmin = new Identity("dave", Set.of("it-admins"));

            assertThat(decide(engine, get("x.test", "/admin/x"), passwordOnly(BOB)))
                    .isEqualTo(new Decision.Allow("admins", BOB));
            assertThat(decide(engine, get("x.test", "/admin/x"), passwordOnly(bobNotAdmin))).isEqualTo(denied("rest"));
            assertThat(decide(engine, get("x.test", "/admin/x"), passwordOnly(otherAdmin))).isEqualTo(denied("rest"));
        }

        @Test
        void userAndGroupNamesCompareCaseInsensitivelyAndTheIdentityKeepsItsCase() {
            // BOB is "Bob" in groups "IT-Admins", "clinicians"
            Decision decision = decide(engine, get("x.test", "/admin"), passwordOnly(BOB));

            assertThat(decision).isEqualTo(new Decision.Allow("admins", BOB));
            assertThat(((Decision.Allow) decision).identity().user()).isEqualTo("Bob");
        }

        @Test
        void aKnownUserWhoseSubjectsDoNotMatchFallsThroughToLaterRules() {
            PolicyEngine engine = engine(
                    rule("contractors-out").subjects("group:contractors").policy(PolicyKind.DENY),
                    rule("rest").policy(PolicyKind.ONE_FACTOR));
            Identity contractor = new Identity("eve", Set.of("contractors"));

            assertThat(decide(engine, get("x.test", "/"), passwordOnly(contractor)))
                    .isEqualTo(denied("contractors-out"));
            assertThat(decide(engine, get("x.test", "/"), passwordOnly(ALICE)))
                    .isEqualTo(new Decision.Allow("rest", ALICE));
            // anonymous: authenticate first, then the deny rule is evaluated again
            assertThat(decide(engine, get("x.test", "/"), ANONYMOUS)).isEqualTo(signIn("contractors-out"));
        }

        @Test
        void aSubjectRuleWhoseOtherFieldsDoNotMatchNeverAsksForSignIn() {
            assertThat(decide(engine, request("GET", "records.example.org", "/", "192.0.2.1"), ANONYMOUS))
                    .isEqualTo(denied("rest"));
        }
    }

    @Nested
    class Policies {

        @Test
        void bypassAllowsWithoutIdentityEvenForASignedInUser() {
            PolicyEngine engine = engine(rule("pub").policy(PolicyKind.BYPASS));

            Decision decision = decide(engine, get("x.test", "/"), passwordOnly(ALICE));

            assertThat(decision).isEqualTo(bypass("pub"));
            assertThat(((Decision.Allow) decision).isBypass()).isTrue();
        }

        @Test
        void denyDeniesEvenAFullyAuthenticatedUser() {
            PolicyEngine engine = engine(rule("no").policy(PolicyKind.DENY));

            assertThat(decide(engine, get("x.test", "/"), withFactor(ALICE, AuthFactor.WEBAUTHN, Duration.ZERO)))
                    .isEqualTo(denied("no"));
        }

        @Test
        void oneFactorAsksAnonymousToSignInAndAllowsASignedInUser() {
            PolicyEngine engine = engine(rule("one").policy(PolicyKind.ONE_FACTOR));

            assertThat(decide(engine, get("x.test", "/"), ANONYMOUS)).isEqualTo(signIn("one"));
            assertThat(decide(engine, get("x.test", "/"), passwordOnly(ALICE)))
                    .isEqualTo(new Decision.Allow("one", ALICE));
        }

        @Test
        void twoFactorAsksForSignInThenASecondFactorThenAllows() {
            PolicyEngine engine = engine(rule("two").policy(PolicyKind.TWO_FACTOR));

            assertThat(decide(engine, get("x.test", "/"), ANONYMOUS)).isEqualTo(signIn("two"));
            assertThat(decide(engine, get("x.test", "/"), passwordOnly(ALICE)))
                    .isEqualTo(secondFactor("two", SecondFactor.TOTP, SecondFactor.WEBAUTHN));
            assertThat(decide(engine, get("x.test", "/"), withFactor(ALICE, AuthFactor.TOTP, Duration.ofHours(11))))
                    .isEqualTo(new Decision.Allow("two", ALICE));
            assertThat(decide(engine, get("x.test", "/"), withFactor(ALICE, AuthFactor.WEBAUTHN, Duration.ZERO)))
                    .isEqualTo(new Decision.Allow("two", ALICE));
        }
    }

    @Nested
    class FactorRestrictions {

        final PolicyEngine engine = engine(
                rule("key").paths("/admin").factors(SecondFactor.WEBAUTHN).policy(PolicyKind.TWO_FACTOR),
                rule("code").paths("/rx").factors(SecondFactor.TOTP).policy(PolicyKind.TWO_FACTOR),
                rule("any").policy(PolicyKind.TWO_FACTOR));

        @Test
        void aTotpNeverSatisfiesAWebauthnOnlyRule() {
            assertThat(decide(engine, get("x.test", "/admin"), withFactor(ALICE, AuthFactor.TOTP, Duration.ZERO)))
                    .isEqualTo(secondFactor("key", SecondFactor.WEBAUTHN));
            assertThat(decide(engine, get("x.test", "/admin"), withFactor(ALICE, AuthFactor.WEBAUTHN, Duration.ZERO)))
                    .isEqualTo(new Decision.Allow("key", ALICE));
        }

        @Test
        void aWebauthnNeverSatisfiesATotpOnlyRule() {
            assertThat(decide(engine, get("x.test", "/rx"), withFactor(ALICE, AuthFactor.WEBAUTHN, Duration.ZERO)))
                    .isEqualTo(secondFactor("code", SecondFactor.TOTP));
        }

        @Test
        void aRecoveryCodeSatisfiesOnlyRulesThatAcceptEveryKindOfSecondFactor() {
            AuthState recovered = withFactor(ALICE, AuthFactor.RECOVERY_CODE, Duration.ZERO);

            assertThat(decide(engine, get("x.test", "/other"), recovered)).isEqualTo(new Decision.Allow("any", ALICE));
            assertThat(decide(engine, get("x.test", "/admin"), recovered))
                    .isEqualTo(secondFactor("key", SecondFactor.WEBAUTHN));
            assertThat(decide(engine, get("x.test", "/rx"), recovered))
                    .isEqualTo(secondFactor("code", SecondFactor.TOTP));
        }

        @Test
        void anEmptyFactorListMeansEveryKind() {
            PolicyEngine engine = engine(rule("r").factors().policy(PolicyKind.TWO_FACTOR));

            assertThat(decide(engine, get("x.test", "/"), passwordOnly(ALICE)))
                    .isEqualTo(secondFactor("r", SecondFactor.TOTP, SecondFactor.WEBAUTHN));
            assertThat(decide(engine, get("x.test", "/"), withFactor(ALICE, AuthFactor.RECOVERY_CODE, Duration.ZERO)))
                    .isEqualTo(new Decision.Allow("r", ALICE));
        }
    }

    @Nested
    class StepUp {

        static final Duration MAX = Duration.ofMinutes(15);

        final PolicyEngine engine = engine(
                rule("admin").paths("/admin").factors(SecondFactor.WEBAUTHN).maxFactorAge(MAX)
                        .policy(PolicyKind.TWO_FACTOR),
                rule("rest").policy(PolicyKind.TWO_FACTOR));

        final Decision.Challenge stepUp = new Decision.Challenge("admin",
                new Requirement.StepUp(Set.of(SecondFactor.WEBAUTHN), MAX));

        @Test
        void aSecondFactorYoungerThanTheMaximumIsAccepted() {
            assertThat(decide(engine, get("x.test", "/admin"), withFactor(ALICE, AuthFactor.WEBAUTHN,
                    MAX.minusNanos(1)))).isEqualTo(new Decision.Allow("admin", ALICE));
        }

        @Test
        void aSecondFactorExactlyAtTheMaximumAgeIsStale() {
            assertThat(decide(engine, get("x.test", "/admin"), withFactor(ALICE, AuthFactor.WEBAUTHN, MAX)))
                    .isEqualTo(stepUp);
        }

        @Test
        void anOlderSecondFactorAsksForAStepUpWhileLaxerRulesStillAllow() {
            AuthState old = withFactor(ALICE, AuthFactor.WEBAUTHN, Duration.ofMinutes(20));

            assertThat(decide(engine, get("x.test", "/admin"), old)).isEqualTo(stepUp);
            assertThat(decide(engine, get("x.test", "/records"), old)).isEqualTo(new Decision.Allow("rest", ALICE));
        }

        @Test
        void theFreshestAcceptedFactorCountsAndAFreshFactorOfAnotherKindDoesNot() {
            AuthState oldKeyFreshTotp = passwordOnly(ALICE)
                    .withFactor(AuthFactor.WEBAUTHN, NOW.minus(Duration.ofHours(2)))
                    .withFactor(AuthFactor.TOTP, NOW.minus(Duration.ofMinutes(1)));
            AuthState steppedUp = ((AuthState.SignedIn) oldKeyFreshTotp)
                    .withFactor(AuthFactor.WEBAUTHN, NOW.minus(Duration.ofMinutes(1)));

            assertThat(decide(engine, get("x.test", "/admin"), oldKeyFreshTotp)).isEqualTo(stepUp);
            assertThat(decide(engine, get("x.test", "/admin"), steppedUp)).isEqualTo(new Decision.Allow("admin", ALICE));
        }

        @Test
        void aMissingSecondFactorIsAskedForBeforeAnyStepUp() {
            assertThat(decide(engine, get("x.test", "/admin"), passwordOnly(ALICE)))
                    .isEqualTo(secondFactor("admin", SecondFactor.WEBAUTHN));
        }

        @Test
        void aCompletionTimeInTheFutureCountsAsJustNow() {
            assertThat(decide(engine, get("x.test", "/admin"), withFactor(ALICE, AuthFactor.WEBAUTHN,
                    Duration.ofSeconds(-5)))).isEqualTo(new Decision.Allow("admin", ALICE));
        }

        @Test
        void theDecisionFollowsTheInjectedClock() {
            AuthState at = passwordOnly(ALICE).withFactor(AuthFactor.WEBAUTHN, NOW);
            AccessControlConfig config = new AccessControlConfig(PolicyKind.DENY, List.of(rule("admin")
                    .factors(SecondFactor.WEBAUTHN).maxFactorAge(MAX).policy(PolicyKind.TWO_FACTOR).build()));

            PolicyEngine later = new PolicyEngine(config, Clock.offset(CLOCK, MAX.plusSeconds(1)));
            PolicyEngine sooner = new PolicyEngine(config, Clock.offset(CLOCK, MAX.minusSeconds(1)));

            assertThat(later.decide(get("x.test", "/"), at)).isInstanceOf(Decision.Challenge.class);
            assertThat(sooner.decide(get("x.test", "/"), at)).isInstanceOf(Decision.Allow.class);
        }
    }

    @Nested
    class IssueExample {

        final PolicyEngine engine = engine(
                rule("lb-health").hosts("records.example.org").paths("/healthz").network("lb_health", "10.0.0.5/32")
                        .policy(PolicyKind.BYPASS),
                rule("rule #2").hosts("*.example.org").paths("/admin/**").subjects("group:it-admins")
                        .factors(SecondFactor.WEBAUTHN).maxFactorAge(Duration.ofMinutes(15))
                        .policy(PolicyKind.TWO_FACTOR),
                rule("rule #3").hosts("records.example.org").methods("DELETE")
                        .subjects("group:clinicians").subjects("user:alice").policy(PolicyKind.TWO_FACTOR),
                rule("rule #4").hosts("*.example.org").policy(PolicyKind.TWO_FACTOR));

        @Test
        void theLoadBalancerBypassesOnlyFromItsAddress() {
            assertThat(decide(engine, request("GET", "records.example.org", "/healthz", "10.0.0.5"), ANONYMOUS))
                    .isEqualTo(bypass("lb-health"));
            assertThat(decide(engine, request("GET", "records.example.org", "/healthz", "10.0.0.99"), ANONYMOUS))
                    .isEqualTo(signIn("rule #4"));
        }

        @Test
        void anAdminWithAnOldTotpIsAskedForASecurityKey() {
            assertThat(decide(engine, get("admin.example.org", "/admin/x"),
                    withFactor(BOB, AuthFactor.TOTP, Duration.ofMinutes(20))))
                    .isEqualTo(secondFactor("rule #2", SecondFactor.WEBAUTHN));
        }

        @Test
        void aNonAdminOnTheAdminPathFallsThroughToTheCatchAll() {
            assertThat(decide(engine, get("admin.example.org", "/admin/x"),
                    withFactor(ALICE, AuthFactor.TOTP, Duration.ofMinutes(20))))
                    .isEqualTo(new Decision.Allow("rule #4", ALICE));
        }

        @Test
        void otherDomainsAreDeniedByDefault() {
            assertThat(decide(engine, get("example.org", "/"), withFactor(BOB, AuthFactor.WEBAUTHN, Duration.ZERO)))
                    .isEqualTo(DEFAULT_DENY);
        }
    }

    @Nested
    class Explain {

        final PolicyEngine engine = engine(
                rule("lb-health").hosts("records.example.org").paths("/healthz").network("lb_health", "10.0.0.5/32")
                        .policy(PolicyKind.BYPASS),
                rule("admin").hosts("a.test", "b.test").paths("/admin", "/ops").methods("GET", "POST")
                        .network("lan", "10.20.0.0/16").network("vpn", "10.30.0.0/16")
                        .subjects("group:it-admins").subjects("user:root").policy(PolicyKind.TWO_FACTOR),
                rule("catch-all").policy(PolicyKind.ONE_FACTOR));

        @Test
        void namesTheFirstFieldThatDidNotMatchWithAReason() {
            Explanation e = engine.explain(request("GET", "a.test", "/admin", "10.20.0.1"), passwordOnly(ALICE));

            assertThat(e.rules()).containsExactly(
                    new RuleTrace.Skipped("lb-health", MatchField.HOSTS,
                            "records.example.org does not match a.test"),
                    new RuleTrace.Skipped("admin", MatchField.SUBJECTS,
                            "alice (groups: clinicians) satisfies none of [[group:it-admins], [user:root]]"),
                    new RuleTrace.Matched("catch-all"));
            assertThat(e.decidingIndex()).isEqualTo(2);
        }

        @Test
        void explainsPathsMethodsAndNetworks() {
            AuthState bob = passwordOnly(BOB);

            assertThat(engine.explain(request("GET", "b.test", "/x", "10.20.0.1"), bob).rules().get(1))
                    .isEqualTo(new RuleTrace.Skipped("admin", MatchField.PATHS, "none of [/admin, /ops] matches /x"));
            assertThat(engine.explain(request("DELETE", "b.test", "/ops", "10.20.0.1"), bob).rules().get(1))
                    .isEqualTo(new RuleTrace.Skipped("admin", MatchField.METHODS, "DELETE is not in [GET, POST]"));
            assertThat(engine.explain(request("GET", "b.test", "/ops", "10.40.0.1"), bob).rules().get(1))
                    .isEqualTo(new RuleTrace.Skipped("admin", MatchField.NETWORKS,
                            "10.40.0.1 is in none of [lan, vpn]"));
            assertThat(engine.explain(request("GET", "records.example.org", "/healthz", "10.0.0.6"), bob)
                    .rules().get(0))
                    .isEqualTo(new RuleTrace.Skipped("lb-health", MatchField.NETWORKS, "10.0.0.6 is not in lb_health"));
            assertThat(engine.explain(request("GET", "records.example.org", "/healthz", null), bob).rules().get(0))
                    .isEqualTo(new RuleTrace.Skipped("lb-health", MatchField.NETWORKS, "no source address given"));
        }

        @Test
        void tracesRulesAfterTheDecidingOneToo() {
            Explanation e = engine.explain(request("GET", "records.example.org", "/healthz", "10.0.0.5"), ANONYMOUS);

            assertThat(e.decision()).isEqualTo(bypass("lb-health"));
            assertThat(e.decidingIndex()).isZero();
            assertThat(e.rules()).hasSize(3);
            assertThat(e.rules().get(2)).isEqualTo(new RuleTrace.Matched("catch-all"));
        }

        @Test
        void reportsTheDefaultPolicyWithIndexMinusOne() {
            PolicyEngine engine = engine(rule("only").hosts("a.test").policy(PolicyKind.BYPASS));

            Explanation e = engine.explain(get("b.test", "/"), ANONYMOUS);

            assertThat(e.decision()).isEqualTo(DEFAULT_DENY);
            assertThat(e.decidingIndex()).isEqualTo(-1);
        }
    }

    /** The worked examples of docs/policy.md behave as the document says. */
    @Nested
    class DocumentedExamples {

        @Test
        void anAdminAreaNeedsAFreshSecurityKeyAndIsClosedToOthers() {
            PolicyEngine engine = engine(
                    rule("epr-admin").hosts("epr.clinic.example").paths("/admin").subjects("group:epr-admins")
                            .factors(SecondFactor.WEBAUTHN).maxFactorAge(Duration.ofMinutes(15))
                            .policy(PolicyKind.TWO_FACTOR),
                    rule("epr-admin-others").hosts("epr.clinic.example").paths("/admin").policy(PolicyKind.DENY),
                    rule("epr").hosts("epr.clinic.example").policy(PolicyKind.TWO_FACTOR));
            Identity admin = new Identity("ann", Set.of("epr-admins"));

            assertThat(decide(engine, get("epr.clinic.example", "/admin/users/7"),
                    withFactor(admin, AuthFactor.WEBAUTHN, Duration.ofMinutes(3))))
                    .isEqualTo(new Decision.Allow("epr-admin", admin));
            assertThat(decide(engine, get("epr.clinic.example", "/admin/users/7"),
                    withFactor(admin, AuthFactor.WEBAUTHN, Duration.ofMinutes(16))))
                    .isEqualTo(new Decision.Challenge("epr-admin",
                            new Requirement.StepUp(Set.of(SecondFactor.WEBAUTHN), Duration.ofMinutes(15))));
            assertThat(decide(engine, get("epr.clinic.example", "/admin"),
                    withFactor(ALICE, AuthFactor.WEBAUTHN, Duration.ZERO))).isEqualTo(denied("epr-admin-others"));
            assertThat(decide(engine, get("epr.clinic.example", "/administration"),
                    withFactor(ALICE, AuthFactor.TOTP, Duration.ZERO))).isEqualTo(new Decision.Allow("epr", ALICE));
        }

        @Test
        void anApiDeniesEverythingButTwoPaths() {
            PolicyEngine engine = engine(
                    rule("fhir-metadata").hosts("fhir.clinic.example").paths("/fhir/metadata").methods("GET")
                            .policy(PolicyKind.BYPASS),
                    rule("fhir-patient-read").hosts("fhir.clinic.example").paths("/fhir/Patient").methods("GET")
                            .policy(PolicyKind.TWO_FACTOR),
                    rule("fhir-deny-rest").hosts("fhir.clinic.example").policy(PolicyKind.DENY));
            AuthState full = withFactor(ALICE, AuthFactor.TOTP, Duration.ZERO);

            assertThat(decide(engine, get("fhir.clinic.example", "/fhir/metadata"), ANONYMOUS))
                    .isEqualTo(bypass("fhir-metadata"));
            assertThat(decide(engine, get("fhir.clinic.example", "/fhir/Patient/12"), full))
                    .isEqualTo(new Decision.Allow("fhir-patient-read", ALICE));
            assertThat(decide(engine, request("DELETE", "fhir.clinic.example", "/fhir/Patient/12", "192.0.2.1"),
                    full)).isEqualTo(denied("fhir-deny-rest"));
            assertThat(decide(engine, get("fhir.clinic.example", "/fhir/patient/12"), full))
                    .isEqualTo(denied("fhir-deny-rest"));
            assertThat(decide(engine, get("fhir.clinic.example", "/fhir/Observation"), full))
                    .isEqualTo(denied("fhir-deny-rest"));
        }
    }

    @Nested
    class Construction {

        @Test
        void refusesARuleWithAMalformedPathPattern() {
            AccessControlConfig config = new AccessControlConfig(PolicyKind.DENY,
                    List.of(rule("bad").paths("/admin*").build()));

            assertThatThrownBy(() -> new PolicyEngine(config, CLOCK))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("/admin*");
        }

        @Test
        void refusesANonPositiveMaxFactorAge() {
            AccessControlConfig config = new AccessControlConfig(PolicyKind.DENY,
                    List.of(rule("bad").maxFactorAge(Duration.ZERO).build()));

            assertThatThrownBy(() -> new PolicyEngine(config, CLOCK)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aSignedInStateWithoutTheFirstFactorCannotBeBuilt() {
            assertThatThrownBy(() -> new AuthState.SignedIn(ALICE, java.util.Map.of(AuthFactor.TOTP, NOW)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aPasskeyIsAFirstFactorAndASecondOnlyWithTheWebAuthnFactorOfUserVerification() {
            java.util.Set<org.portcullis.config.SecondFactor> any = java.util.EnumSet.allOf(
                    org.portcullis.config.SecondFactor.class);
            AuthState.SignedIn passkey = new AuthState.SignedIn(ALICE, java.util.Map.of(AuthFactor.PASSKEY, NOW));
            assertThat(passkey.latestSecondFactor(any)).as("a passkey without UV is one factor").isEmpty();
            assertThat(passkey.withFactor(AuthFactor.WEBAUTHN, NOW).latestSecondFactor(any)).contains(NOW);
        }
    }

    /** A route with {@code paths: case_insensitive} (SECURITY-RULES 22): what the engine decides, and explains. */
    @Nested
    class CaseInsensitiveRoutes {
        final PolicyEngine engine = engine(PolicyKind.BYPASS,
                rule("admin").paths("/admin/**").policy(PolicyKind.DENY),
                rule("reports").paths("/Reports").subjects("group:clinicians").policy(PolicyKind.TWO_FACTOR));

        AccessRequest onWindows(String path) {
            return new AccessRequest("GET", "iis.example.org", path, null, UpstreamPaths.CASE_INSENSITIVE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/admin", "/ADMIN", "/Admin/users", "/aDMIN/x/y"})
        void aLowerCasePatternMatchesEveryCase(String path) {
            assertThat(decide(engine, onWindows(path), ANONYMOUS)).isEqualTo(
                    new Decision.Deny("admin", DenyReason.DENIED_BY_RULE));
            assertThat(decide(engine, get("iis.example.org", path), ANONYMOUS)).as("the same path, case-sensitive")
                    .isEqualTo(path.equals("/admin") ? new Decision.Deny("admin", DenyReason.DENIED_BY_RULE)
                            : new Decision.Allow(Decision.DEFAULT_POLICY, null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/reports", "/REPORTS/2019", "/Reports"})
        void anUpperCasePatternMatchesEveryCaseToo(String path) {
            assertThat(decide(engine, onWindows(path), ANONYMOUS)).isEqualTo(
                    new Decision.Challenge("reports", new Requirement.SignIn()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/admin.", "/admin./x", "/admin /x", "/admin.. ./x", "/ADMINI~1/x", "/x/PROGRA~1.TXT",
            "/admin::$DATA", "/admin:s", "/adm*n", "/admin|x", "/a\"b", "/a<b", "/a>b", "/a?b", "/public/x."})
        void aWindowsAliasIsRefusedBeforeAnyRule(String path) {
            Decision decision = decide(engine, onWindows(path), ANONYMOUS);

            assertThat(decision).isEqualTo(new Decision.Deny(Decision.CASE_INSENSITIVE_PATHS,
                    DenyReason.WINDOWS_PATH_ALIAS));
            Explanation explanation = engine.explain(onWindows(path), ANONYMOUS);
            assertThat(explanation.rules()).isEmpty();
            assertThat(explanation.pathRefusal()).isEqualTo(WindowsPathAliases.problemWith(path)).isNotNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"/admin.", "/ADMINI~1/x", "/admin::$DATA"})
        void onACaseSensitiveRouteThoseAreOrdinaryPaths(String path) {
            assertThat(decide(engine, get("plain.example.org", path), ANONYMOUS))
                    .isEqualTo(new Decision.Allow(Decision.DEFAULT_POLICY, null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "/default.aspx", "/a.b/c.d", "/~user", "/a~b/x", "/x~/1", "/.well-known/x"})
        void ordinaryWindowsPathsAreNotAliases(String path) {
            assertThat(WindowsPathAliases.problemWith(path)).isNull();
        }

        @Test
        void theReasonNamesTheSegmentAndWhatWindowsMakesOfIt() {
            assertThat(WindowsPathAliases.problemWith("/x/admin.. /y"))
                    .isEqualTo("segment 'admin.. ' ends in a space, which Windows drops (it would read 'admin')");
            assertThat(WindowsPathAliases.problemWith("/web.config::$DATA"))
                    .isEqualTo("segment 'web.config::$DATA' contains ':', which Windows reads as an alternate data"
                            + " stream");
        }
    }
}
