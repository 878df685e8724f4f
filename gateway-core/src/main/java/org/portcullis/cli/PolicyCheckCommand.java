package org.portcullis.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.portcullis.config.Cidr;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.LoadedConfig;
import org.portcullis.config.RouteConfig;
import org.portcullis.config.UpstreamPaths;
import org.portcullis.ingress.IngressRejection;
import org.portcullis.ingress.PathCanonicalizer;
import org.portcullis.policy.AccessRequest;
import org.portcullis.policy.AuthFactor;
import org.portcullis.policy.AuthState;
import org.portcullis.config.AccessRule;
import org.portcullis.policy.Decision;
import org.portcullis.policy.Requirement;
import org.portcullis.policy.DurationText;
import org.portcullis.policy.Explanation;
import org.portcullis.policy.ExplanationText;
import org.portcullis.policy.Identity;
import org.portcullis.policy.PolicyEngine;
import org.portcullis.route.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis policy check}: the policy simulator. Loads a config file, builds the same {@link PolicyEngine}
 * the gateway would, and shows what it decides for one request and one authentication state, so an admin can test
 * a policy change before deploying it.
 *
 * <p>The URL's path goes through the gateway's own {@link PathCanonicalizer}: a path the gateway refuses at ingress
 * ({@code %2F}, {@code ;}, {@code %00}, non-ASCII, …) is shown as that refusal, and any other is decided on the
 * canonical form the gateway would decide on and forward ({@code /a/../admin} is {@code /admin}, {@code /admin%20/}
 * is {@code /admin /}). The query is ignored, as it is by the policy.
 *
 * <p>Like the gateway, it first picks the route with the same {@link Router}, and asks the policy with that route's
 * {@code paths} setting: on a {@code paths: case_insensitive} route rules compare without case and Windows path
 * aliases ({@code /admin./}, {@code ADMINI~1}) are refused with the reason shown (SECURITY-RULES 22). When the
 * config has routes and none serves the URL, it says so (the gateway answers 404) and shows what the policy alone
 * would decide.
 *
 * <p>Exit codes: {@value #EXIT_ALLOW} allow, {@value #EXIT_NOT_ALLOWED} deny, challenge or refusal,
 * {@value #EXIT_BAD_INPUT} bad input (options, URL, config errors).
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Show what the access policy decides for one request.",
        footer = {"", "Exit codes: 0 allow, 1 deny, challenge or refusal, 2 bad input."})
public final class PolicyCheckCommand implements Callable<Integer> {

    static final int EXIT_ALLOW = 0;
    static final int EXIT_NOT_ALLOWED = 1;
    static final int EXIT_BAD_INPUT = 2;

    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,20}");

    /** Where the config comes from; the real {@link ConfigLoader} except in tests. */
    @FunctionalInterface
    interface ConfigSource {
        LoadedConfig load(Path file) throws ConfigException;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The gateway config file.")
    Path config;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "Absolute URL, e.g. https://records.example.org/admin/x; its path is canonicalised as"
                    + " the gateway does")
    String url;

    @Option(names = "--method", defaultValue = "GET", paramLabel = "METHOD", description = "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--ip", paramLabel = "ADDRESS",
            description = "Client address. Without it, rules with networks never match.")
    String ip;

    @Option(names = "--user", paramLabel = "NAME", description = "Signed-in user; anonymous without it.")
    String user;

    @Option(names = "--groups", split = ",", paramLabel = "GROUP", description = "The user's groups.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--factors", split = ",", paramLabel = "FACTOR",
            description = "Completed factors: password, totp, webauthn, recovery_code. Default: password.")
    List<String> factors = new ArrayList<>();

    @Option(names = "--factor-age", paramLabel = "DURATION",
            description = "How long ago the second factors were completed, e.g. 20m. Default: just now.")
    String factorAge;

    @Option(names = "--explain", description = "Show every rule, also those after the deciding one.")
    boolean explain;

    private final ConfigSource configs;
    private final Clock clock;

    public PolicyCheckCommand() {
        this(file -> new ConfigLoader().load(file), Clock.systemUTC());
    }

    PolicyCheckCommand(ConfigSource configs, Clock clock) {
        this.configs = Objects.requireNonNull(configs, "configs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Instant now = clock.instant();
            URI target = uri();
            String host = host(target);
            String method = method();
            InetAddress source = source();
            AuthState auth = authState(now);
            LoadedConfig loaded = loadConfig(err);
            PolicyEngine engine = engine(loaded, now);
            String rawPath = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
            String path;
            try {
                path = PathCanonicalizer.canonicalize(rawPath);
            } catch (IngressRejection e) {
                printIngressRefusal(out, e);
                return EXIT_NOT_ALLOWED;
            }
            if (!path.equals(rawPath)) {
                out.println("path:     " + path + " (the canonical form the gateway decides on and forwards)");
            }
            List<RouteConfig> routes = loaded.config().routes();
            Optional<RouteConfig> route = new Router(routes).route(host, path);
            UpstreamPaths paths = route.map(RouteConfig::paths).orElse(UpstreamPaths.CASE_SENSITIVE);
            Explanation explanation = engine.explain(new AccessRequest(method, host, path, source, paths), auth);
            print(out, explanation, routeLine(route, routes.isEmpty()), loaded.config().accessControl().rules());
            for (String line : org.portcullis.coverage.StrengthText.lines(loaded.config().accessControl(),
                    explanation.decision().rule(), now)) {
                out.println(line);
            }
            out.flush();
            return explanation.decision() instanceof Decision.Allow ? EXIT_ALLOW : EXIT_NOT_ALLOWED;
        } catch (BadInput e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
    }

    private static void printIngressRefusal(PrintWriter out, IngressRejection rejection) {
        out.println("decision: refuse with " + rejection.reason().status() + " at ingress (" + rejection.reason()
                + ": " + rejection.getMessage() + ")");
        out.println("rule:     none: the gateway refuses the request before routing and policy");
        out.flush();
    }

    /** The route line, or null for a config without routes (a policy sketch, nothing to route to). */
    private static String routeLine(Optional<RouteConfig> route, boolean noRoutes) {
        if (route.isPresent()) {
            RouteConfig found = route.get();
            return found.name() + (found.paths().foldsCase() ? " (paths: " + found.paths().yamlName() + ")" : "");
        }
        return noRoutes ? null : "none (no route serves this host and path: the gateway answers 404)";
    }

    private void print(PrintWriter out, Explanation explanation, String routeLine, List<AccessRule> rules) {
        Decision decision = explanation.decision();
        if (routeLine != null) {
            out.println("route:    " + routeLine);
        }
        String described = ExplanationText.describe(decision);
        if (decision instanceof Decision.Challenge challenge && challenge.requirement() instanceof Requirement.SignIn) {
            // Without --user every protected URL asks for sign-in; say what the deciding rule will need after it.
            Optional<AccessRule> rule = rules.stream().filter(r -> r.name().equals(decision.rule())).findFirst();
            if (rule.isPresent()) {
                described = ExplanationText.signInNeeds(rule.get());
            }
        }
        out.println("decision: " + described);
        out.println("rule:     " + decision.rule());
        for (String line : ExplanationText.ruleLines(explanation, explain)) {
            out.println(line);
        }
        out.flush();
    }

    private LoadedConfig loadConfig(PrintWriter err) {
        LoadedConfig loaded;
        try {
            loaded = configs.load(config);
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.errors()) {
                err.println(problem);
            }
            throw new BadInput(config + ": " + e.errors().size() + " error(s), see above");
        } catch (RuntimeException e) {
            throw new BadInput("cannot read config " + config + ": " + e.getMessage());
        }
        for (ConfigProblem warning : loaded.warnings()) {
            err.println("warning: " + warning);
        }
        return loaded;
    }

    private static PolicyEngine engine(LoadedConfig loaded, Instant now) {
        try {
            return new PolicyEngine(loaded.config().accessControl(), Clock.fixed(now, ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
            throw new BadInput("the access policy cannot be used: " + e.getMessage());
        }
    }

    private URI uri() {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new BadInput("--url must be an absolute http:// or https:// URL");
            }
            if (uri.getRawUserInfo() != null) {
                throw new BadInput("--url must not contain user info");
            }
            if (uri.getRawFragment() != null) {
                throw new BadInput("--url must not contain a fragment ('#')");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new BadInput("--url is not a valid URL: " + e.getReason());
        }
    }

    private static String host(URI target) {
        String host = target.getHost();
        if (host == null || host.isEmpty()) {
            throw new BadInput("--url has no valid host name");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private String method() {
        if (!METHOD.matcher(method).matches()) {
            throw new BadInput("--method must be a method name such as GET or DELETE");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    private InetAddress source() {
        if (ip == null) {
            return null;
        }
        try {
            if (ip.indexOf('/') >= 0) {
                throw new IllegalArgumentException("give one address, not a network");
            }
            Cidr.parse(ip); // accepts only numeric addresses, so the lookup below never asks DNS
            return InetAddress.getByName(ip);
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new BadInput("--ip must be a numeric IPv4 or IPv6 address: " + e.getMessage());
        }
    }

    private AuthState authState(Instant now) {
        if (user == null) {
            if (!groups.isEmpty() || !factors.isEmpty() || factorAge != null) {
                throw new BadInput("--groups, --factors and --factor-age describe a user: give --user too");
            }
            return AuthState.anonymous();
        }
        if (user.isBlank()) {
            throw new BadInput("--user must not be empty");
        }
        Set<AuthFactor> completed = EnumSet.of(AuthFactor.PASSWORD);
        for (String name : factors) {
            completed.add(factor(name));
        }
        Duration age = factorAge == null ? Duration.ZERO : parseAge();
        if (factorAge != null && completed.size() == 1) {
            throw new BadInput("--factor-age needs a second factor in --factors");
        }
        AuthState.SignedIn state = AuthState.signedIn(new Identity(user, Set.copyOf(groups)), now);
        for (AuthFactor factor : completed) {
            if (factor != AuthFactor.PASSWORD) {
                state = state.withFactor(factor, now.minus(age));
            }
        }
        return state;
    }

    private Duration parseAge() {
        try {
            return DurationText.parse(factorAge);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--factor-age: " + e.getMessage());
        }
    }

    private static AuthFactor factor(String name) {
        for (AuthFactor factor : AuthFactor.values()) {
            if (factor.name().equalsIgnoreCase(name.trim())) {
                return factor;
            }
        }
        throw new BadInput("--factors: unknown factor '" + name + "' (password, totp, webauthn, recovery_code)");
    }

    /** Input the simulator cannot use; ends the command with exit code 2 and one line on stderr. */
    private static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message, null, false, false);
        }
    }
}
