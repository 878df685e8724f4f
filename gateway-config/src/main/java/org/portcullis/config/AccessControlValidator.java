package org.portcullis.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.YamlList;
import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code access_control}: the default policy and the ordered rules. Besides the syntax of each field it
 * rejects combinations that cannot mean what the author intended: subjects on a bypass rule (nobody is identified,
 * so the subjects would be ignored), and factor settings on a rule that does not ask for a second factor. Rules that
 * an earlier rule always wins against are reported as warnings by {@link RuleShadowing}.
 */
final class AccessControlValidator {
    static final String DEFAULT_POLICY = "default_policy";
    static final String RULES = "rules";
    static final String EXCEPTIONS = "exceptions";
    static final String EXCEPTIONS_REQUIRED = "exceptions_required";
    static final String EXCEPTIONS_EXPIRED = "exceptions_expired";
    static final List<String> KEYS = List.of(DEFAULT_POLICY, RULES, EXCEPTIONS, EXCEPTIONS_REQUIRED,
            EXCEPTIONS_EXPIRED);
    static final String ID = "id";
    static final String HOSTS = "hosts";
    static final String PATHS = "paths";
    static final String METHODS = "methods";
    static final String NETWORKS = "networks";
    static final String SUBJECTS = "subjects";
    static final String POLICY = "policy";
    static final String FACTORS = "factors";
    static final String MAX_FACTOR_AGE = "max_factor_age";
    static final String EXCEPTION = "exception";
    static final String MINIMUM_STRENGTH = "minimum_strength";
    static final List<String> RULE_KEYS = List.of(ID, HOSTS, PATHS, METHODS, NETWORKS, SUBJECTS, POLICY, FACTORS,
            MAX_FACTOR_AGE, EXCEPTION, MINIMUM_STRENGTH);
    static final Pattern RULE_ID = Pattern.compile("[a-z0-9_-]+");
    private static final Pattern SUBJECT = Pattern.compile("(user|group):(\\S+)");

    private final NodeReader reader;
    private final Map<String, NetworkRef> networks;

    AccessControlValidator(NodeReader reader, Map<String, NetworkRef> networks) {
        this.reader = reader;
        this.networks = networks;
    }

    Optional<AccessControlConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<PolicyKind> defaultPolicy = view.get().get(DEFAULT_POLICY).isPresent()
                ? view.get().get(DEFAULT_POLICY).flatMap(this::policy)
                : Optional.of(PolicyKind.DENY);
        Optional<YamlNode> rulesNode = view.get().get(RULES);
        Optional<List<AccessRule>> rules = rulesNode.isPresent()
                ? rulesNode.flatMap(n -> reader.listOf(n, this::rule))
                : Optional.of(List.of());
        if (rulesNode.isPresent() && rulesNode.get() instanceof YamlList list) {
            rejectDuplicateIds(list.items());
            rules.ifPresent(r -> new RuleShadowing(reader.problems()).warn(r, list.items()));
        }
        Optional<List<ExceptionEntry>> exceptions = view.get().get(EXCEPTIONS).isPresent()
                ? view.get().get(EXCEPTIONS).flatMap(n -> new ExceptionsValidator(reader).validate(n))
                : Optional.of(List.of());
        Optional<Boolean> required = view.get().get(EXCEPTIONS_REQUIRED).isPresent()
                ? view.get().get(EXCEPTIONS_REQUIRED).flatMap(reader::bool) : Optional.of(false);
        Optional<ExpiredExceptions> expired = view.get().get(EXCEPTIONS_EXPIRED).isPresent()
                ? view.get().get(EXCEPTIONS_EXPIRED).flatMap(n -> reader.parsed(n, e -> Arrays
                        .stream(ExpiredExceptions.values()).filter(k -> k.yamlName().equals(e)).findFirst(),
                        CoverageMessages::notExpiredMode))
                : Optional.of(ExpiredExceptions.DENY);
        if (defaultPolicy.isEmpty() || rules.isEmpty() || exceptions.isEmpty() || required.isEmpty()
                || expired.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AccessControlConfig(defaultPolicy.get(), rules.get(), exceptions.get(),
                required.get(), expired.get()));
    }

    private Optional<AccessRule> rule(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, RULE_KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView rule = view.get();
        int before = reader.problems().errorCount();
        int position = Integer.parseInt(node.path().substring(node.path().lastIndexOf('[') + 1, node.path().length() - 1));
        String name = rule.get(ID).flatMap(n -> reader.parsed(n, AccessControlValidator::ruleId,
                v -> Messages.notName(v, "rule id"))).orElse("rule #" + (position + 1));
        List<HostPattern> hosts = optionalList(rule, HOSTS, reader::hostPattern);
        List<PathPattern> paths = optionalList(rule, PATHS, n -> reader.parsed(n,
                p -> PathSyntax.isRulePath(p) ? Optional.of(new PathPattern(p)) : Optional.empty(),
                Messages::notRulePath));
        List<String> methods = optionalList(rule, METHODS, n -> reader.parsed(n,
                m -> PathSyntax.isMethodToken(m) ? Optional.of(m.toUpperCase(Locale.ROOT)) : Optional.empty(),
                Messages::notMethod));
        List<NetworkRef> networkRefs = optionalList(rule, NETWORKS, this::networkRef);
        List<List<Subject>> subjects = optionalList(rule, SUBJECTS, this::subjectTerm);
        Optional<PolicyKind> policy = rule.require(POLICY).flatMap(this::policy);
        Set<SecondFactor> factors = new LinkedHashSet<>(optionalList(rule, FACTORS, this::factor));
        Duration maxFactorAge = rule.get(MAX_FACTOR_AGE).flatMap(reader::duration).orElse(null);
        String exception = rule.get(EXCEPTION).flatMap(n -> reader.parsed(n, AccessControlValidator::ruleId,
                v -> Messages.notName(v, "exception id"))).orElse(null);
        FactorStrength minimum = rule.get(MINIMUM_STRENGTH).flatMap(this::minimumStrength).orElse(null);
        policy.ifPresent(p -> rejectCombinations(rule, p));
        if (minimum != null && !factors.isEmpty()
                && factors.stream().noneMatch(f -> FactorStrength.of(f).atLeast(minimum))) {
            rule.get(MINIMUM_STRENGTH).ifPresent(n -> reader.problems().error(n,
                    CoverageMessages.minimumStrengthUnreachable(minimum.yamlName())));
        }
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        if (policy.get() == PolicyKind.TWO_FACTOR && factors.isEmpty()) {
            factors = EnumSet.allOf(SecondFactor.class);
        }
        return Optional.of(new AccessRule(name, hosts, paths, new LinkedHashSet<>(methods), networkRefs, subjects,
                policy.get(), factors, maxFactorAge, exception, minimum));
    }

    private void rejectCombinations(MappingView rule, PolicyKind policy) {
        if (policy == PolicyKind.BYPASS) {
            rule.get(SUBJECTS).ifPresent(n -> reader.problems().error(n, Messages.subjectsWithBypass()));
        }
        if (policy != PolicyKind.TWO_FACTOR) {
            rule.get(FACTORS).ifPresent(n -> reader.problems().error(n, Messages.onlyWithTwoFactor(policy.yamlName())));
            rule.get(MAX_FACTOR_AGE)
                    .ifPresent(n -> reader.problems().error(n, Messages.onlyWithTwoFactor(policy.yamlName())));
            rule.get(MINIMUM_STRENGTH)
                    .ifPresent(n -> reader.problems().error(n, Messages.onlyWithTwoFactor(policy.yamlName())));
        }
    }

    /** A list field that means "any" when absent; when present it must be a non-empty list of valid items. */
    private <T> List<T> optionalList(MappingView rule, String key,
            java.util.function.Function<YamlNode, Optional<T>> item) {
        return rule.get(key).flatMap(n -> reader.listOf(n, item)).orElse(List.of());
    }

    private Optional<PolicyKind> policy(YamlNode node) {
        return reader.parsed(node, p -> Arrays.stream(PolicyKind.values())
                .filter(k -> k.yamlName().equals(p)).findFirst(), Messages::notPolicy);
    }

    /** Only the grades a second factor can have: a two-factor rule is never weaker than {@code better}. */
    private Optional<FactorStrength> minimumStrength(YamlNode node) {
        return reader.parsed(node, s -> Arrays.stream(FactorStrength.values())
                .filter(k -> k.atLeast(FactorStrength.BETTER) && k.yamlName().equals(s)).findFirst(),
                CoverageMessages::notMinimumStrength);
    }

    private Optional<SecondFactor> factor(YamlNode node) {
        return reader.parsed(node, f -> Arrays.stream(SecondFactor.values())
                .filter(k -> k.yamlName().equals(f)).findFirst(), Messages::notFactor);
    }

    /** A name under {@code networks}, or a literal CIDR (anything with a '.', ':' or '/'). */
    private Optional<NetworkRef> networkRef(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        String text = scalar.get().text();
        if (NetworksValidator.NAME.matcher(text).matches()) {
            NetworkRef named = networks.get(text);
            if (named == null) {
                reader.problems().error(node, Messages.notNetwork(reader.show(scalar.get()),
                        new ArrayList<>(networks.keySet())));
            }
            return Optional.ofNullable(named);
        }
        if (text.indexOf('.') < 0 && text.indexOf(':') < 0 && text.indexOf('/') < 0) {
            reader.problems().error(node, Messages.notNetwork(reader.show(scalar.get()),
                    new ArrayList<>(networks.keySet())));
            return Optional.empty();
        }
        return reader.cidr(node).map(c -> new NetworkRef(text, List.of(c)));
    }

    /** One OR-term: a list of subjects that must all hold, or a single subject as shorthand for a list of one. */
    private Optional<List<Subject>> subjectTerm(YamlNode node) {
        if (node instanceof YamlList) {
            return reader.listOf(node, this::subject);
        }
        return subject(node).map(List::of);
    }

    private Optional<Subject> subject(YamlNode node) {
        return reader.parsed(node, s -> {
            var m = SUBJECT.matcher(s);
            if (!m.matches()) {
                return Optional.empty();
            }
            Subject.Kind kind = m.group(1).equals("user") ? Subject.Kind.USER : Subject.Kind.GROUP;
            return Optional.of(new Subject(kind, m.group(2)));
        }, Messages::notSubject);
    }

    private static Optional<String> ruleId(String id) {
        return RULE_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /** Rule ids name rules in audit events; two rules with one id would make those events ambiguous. */
    private void rejectDuplicateIds(List<YamlNode> rules) {
        Map<String, String> firstUse = new HashMap<>();
        for (YamlNode rule : rules) {
            YamlNode idNode = rule instanceof YamlNode.YamlMap map && map.entries().containsKey(ID)
                    ? map.entries().get(ID).value() : null;
            if (idNode instanceof YamlScalar scalar && ruleId(scalar.text()).isPresent()) {
                String first = firstUse.putIfAbsent(scalar.text(), rule.path());
                if (first != null) {
                    reader.problems().error(idNode, Messages.alreadyUsed(reader.show(scalar), first));
                }
            }
        }
    }
}
