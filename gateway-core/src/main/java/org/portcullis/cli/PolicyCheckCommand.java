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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.portcullis.config.Cidr;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.LoadedConfig;
import org.portcullis.policy.AccessRequest;
import org.portcullis.policy.AuthFactor;
import org.portcullis.policy.AuthState;
import org.portcullis.policy.Decision;
import org.portcullis.policy.DurationText;
import org.portcullis.policy.Explanation;
import org.portcullis.policy.ExplanationText;
import org.portcullis.policy.Identity;
import org.portcullis.policy.PolicyEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis policy check}: the policy simulator. Loads a config file, builds the same {@link PolicyEngine}
 * the gateway would, and shows what it decides for one request and one authentication state, so an admin can test
 * a policy change before deploying it.
 *
 * <p>The URL's path must already be canonical: the simulator does not repeat the gateway's ingress rules, it refuses
 * a path with {@code %}, {@code ;}, {@code //}, dot segments or non-ASCII rather than guess what the gateway would
 * make of it. The query is ignored, as it is by the policy.
 *
 * <p>Exit codes: {@value #EXIT_ALLOW} allow, {@value #EXIT_NOT_ALLOWED} deny or challenge, {@value #EXIT_BAD_INPUT}
 * bad input (options, URL, config errors).
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Show what the access policy decides for one request.",
        footer = {"", "Exit codes: 0 allow, 1 deny or challenge, 2 bad input."})
public final class PolicyCheckCommand implements Callable<Integer> {

    static final int EXIT_ALLOW = 0;
    static final int EXIT_NOT_ALLOWED = 1;
    static final int EXIT_BAD_INPUT = 2;

    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,20}");
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)");

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
            description = "Absolute URL with a canonical path, e.g. https://records.example.org/admin/x")
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
            AccessRequest request = new AccessRequest(method(), host(target), path(target), source());
            AuthState auth = authState(now);
            PolicyEngine engine = engine(loadConfig(err), now);
            Explanation explanation = engine.explain(request, auth);
            print(out, explanation);
            return explanation.decision() instanceof Decision.Allow ? EXIT_ALLOW : EXIT_NOT_ALLOWED;
        } catch (BadInput e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
    }

    private void print(PrintWriter out, Explanation explanation) {
        Decision decision = explanation.decision();
        out.println("decision: " + ExplanationText.describe(decision));
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

    private static String path(URI target) {
        String path = target.getRawPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        boolean nonCanonical = path.contains("%") || path.contains(";") || path.contains("//")
                || DOT_SEGMENT.matcher(path).find() || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        if (nonCanonical) {
            throw new BadInput("give the canonical path (decoded, no '%', ';', '//', '.' or '..' segments, ASCII only),"
                    + " as the gateway would after its ingress checks: " + path);
        }
        return path;
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
