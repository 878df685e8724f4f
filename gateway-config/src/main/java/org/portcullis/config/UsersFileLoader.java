package org.portcullis.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Reads a users file (docs/users.md) and builds a {@link UsersFile} only when there was no error; all errors are
 * collected and reported together in the config format {@code FILE:LINE: users[2].email: message}.
 *
 * <p>The file goes through the same strict YAML reader as the config (duplicate keys, aliases and extra documents
 * are errors), unknown keys are errors with a "did you mean" hint, and:
 * <ul>
 * <li>usernames and emails are ASCII and unique across each other in lower case, so one person is one account
 *     whichever login they type (and one account for lockout);</li>
 * <li>passwords are Argon2id PHC strings ({@link PasswordHash}) at least as costly as OWASP's minimum;</li>
 * <li>{@code ${env:…}}/{@code ${file:…}} references are refused: {@code portcullis users} rewrites this file and
 *     would otherwise write the resolved values into it.</li>
 * </ul>
 */
public final class UsersFileLoader {
    static final String USERS = "users";
    static final String USERNAME = "username";
    static final String DISPLAY_NAME = "display_name";
    static final String EMAIL = "email";
    static final String GROUPS = "groups";
    static final String DISABLED = "disabled";
    static final String PASSWORD = "password";
    static final List<String> TOP_KEYS = List.of(USERS);
    static final List<String> USER_KEYS = List.of(USERNAME, DISPLAY_NAME, EMAIL, GROUPS, DISABLED, PASSWORD);

    static final Pattern USERNAME_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern GROUP_SYNTAX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** RFC 5322 dot-atom local part (ASCII) and a DNS domain; quoted local parts are not accepted. */
    static final Pattern EMAIL_SYNTAX = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9.-]+)");
    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_DISPLAY_NAME_LENGTH = 200;

    private final boolean enforceMinimumCost;

    /** A loader that refuses hashes below OWASP's minimum cost. */
    public UsersFileLoader() {
        this(true);
    }

    private UsersFileLoader(boolean enforceMinimumCost) {
        this.enforceMinimumCost = enforceMinimumCost;
    }

    /**
     * A loader that accepts hashes of any cost. For tests only, which hash with tiny costs to stay fast; never use
     * it for a real users file.
     */
    public static UsersFileLoader unsafeAcceptingAnyHashCost() {
        return new UsersFileLoader(false);
    }

    /**
     * @throws ConfigException with every error found (missing or unreadable file included)
     */
    public UsersFile load(Path file) throws ConfigException {
        Problems problems = new Problems(file);
        Optional<String> text = FileChecks.readUtf8(file, problems);
        if (text.isEmpty()) {
            throw new ConfigException(problems.errors(), List.of());
        }
        // No environment and a throw-away file set: references are refused below anyway (see class javadoc).
        YamlNode root = new YamlTreeReader(problems, new ReferenceResolver(Map.of(), new HashSet<>()))
                .read(text.get());
        if (root == null) {
            throw new ConfigException(problems.errors(), List.of());
        }
        NodeReader reader = new NodeReader(problems, file.toAbsolutePath().getParent(), new HashSet<>());
        Optional<List<UserEntry>> users = reader.mapping(root, TOP_KEYS)
                .flatMap(top -> top.require(USERS))
                .flatMap(node -> validateUsers(node, reader));
        if (problems.hasErrors() || users.isEmpty()) {
            throw new ConfigException(problems.errors(), List.of());
        }
        return new UsersFile(file, users.get());
    }

    private Optional<List<UserEntry>> validateUsers(YamlNode node, NodeReader reader) {
        Optional<List<UserEntry>> users = reader.listOf(node, n -> user(n, reader));
        if (node instanceof YamlNode.YamlList list) {
            rejectDuplicateLogins(list.items(), reader);
        }
        return users;
    }

    private Optional<UserEntry> user(YamlNode node, NodeReader reader) {
        Optional<MappingView> view = reader.mapping(node, USER_KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView user = view.get();
        int before = reader.problems().errorCount();
        Optional<String> username = user.require(USERNAME)
                .flatMap(n -> plain(n, reader))
                .flatMap(n -> reader.parsed(n, UsersFileLoader::username, UsersMessages::notUsername));
        String displayName = user.get(DISPLAY_NAME)
                .flatMap(n -> plain(n, reader))
                .flatMap(n -> reader.parsed(n, UsersFileLoader::displayName, UsersMessages::notDisplayName))
                .orElse(null);
        String email = user.get(EMAIL)
                .flatMap(n -> plain(n, reader))
                .flatMap(n -> reader.parsed(n, UsersFileLoader::email, UsersMessages::notEmail))
                .orElse(null);
        List<String> groups = user.get(GROUPS)
                .flatMap(n -> reader.listOf(n, g -> plain(g, reader)
                        .flatMap(p -> reader.parsed(p, UsersFileLoader::group, UsersMessages::notGroup))))
                .orElse(List.of());
        boolean disabled = user.get(DISABLED).flatMap(reader::bool).orElse(false);
        Optional<PasswordHash> password = user.require(PASSWORD)
                .flatMap(n -> plain(n, reader))
                .flatMap(n -> password(n, reader));
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new UserEntry(username.get(), displayName, email, groups, disabled, password.get()));
    }

    private Optional<PasswordHash> password(YamlNode node, NodeReader reader) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        PasswordHash.Parsed parsed = PasswordHash.parse(text.get());
        if (!parsed.ok()) {
            reader.problems().error(node, parsed.problem());
            return Optional.empty();
        }
        if (enforceMinimumCost && !parsed.hash().meetsMinimumCost()) {
            reader.problems().error(node, UsersMessages.hashBelowMinimum(parsed.hash().costText()));
            return Optional.empty();
        }
        return Optional.of(parsed.hash());
    }

    /** The node, unless its value came from a reference (reported). */
    private static Optional<YamlNode> plain(YamlNode node, NodeReader reader) {
        if (node instanceof YamlScalar scalar && scalar.secret()) {
            reader.problems().error(node, UsersMessages.referenceNotAllowed());
            return Optional.empty();
        }
        return Optional.of(node);
    }

    static Optional<String> username(String text) {
        return USERNAME_SYNTAX.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }

    static Optional<String> group(String text) {
        return GROUP_SYNTAX.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }

    static Optional<String> email(String text) {
        var m = EMAIL_SYNTAX.matcher(text);
        if (text.length() > MAX_EMAIL_LENGTH || !m.matches()
                || !HostSyntax.isDnsName(UserEntry.canonicalLogin(m.group(2)))) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    static Optional<String> displayName(String text) {
        if (text.codePointCount(0, text.length()) > MAX_DISPLAY_NAME_LENGTH
                || text.codePoints().anyMatch(Character::isISOControl) || !text.equals(text.strip())) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** Why {@code text} cannot be a username (for {@code portcullis users}), or empty when it can. */
    public static Optional<String> usernameProblem(String text) {
        return username(text).isPresent() ? Optional.empty() : Optional.of(UsersMessages.notUsername(quoted(text)));
    }

    /** Why {@code text} cannot be an email address, or empty when it can. */
    public static Optional<String> emailProblem(String text) {
        return email(text).isPresent() ? Optional.empty() : Optional.of(UsersMessages.notEmail(quoted(text)));
    }

    /** Why {@code text} cannot be a group name, or empty when it can. */
    public static Optional<String> groupProblem(String text) {
        return group(text).isPresent() ? Optional.empty() : Optional.of(UsersMessages.notGroup(quoted(text)));
    }

    /** Why {@code text} cannot be a display name, or empty when it can. */
    public static Optional<String> displayNameProblem(String text) {
        return displayName(text).isPresent() ? Optional.empty()
                : Optional.of(UsersMessages.notDisplayName(quoted(text)));
    }

    private static String quoted(String text) {
        return "'" + ValueDisplay.escape(text) + "'";
    }

    /** One namespace for usernames and emails: a login must name exactly one account. */
    private static void rejectDuplicateLogins(List<YamlNode> users, NodeReader reader) {
        Map<String, String> firstUse = new HashMap<>();
        for (YamlNode user : users) {
            if (!(user instanceof YamlNode.YamlMap map)) {
                continue;
            }
            for (String key : List.of(USERNAME, EMAIL)) {
                YamlNode.Entry entry = map.entries().get(key);
                if (entry == null || !(entry.value() instanceof YamlScalar scalar) || scalar.secret()) {
                    continue;
                }
                Optional<String> valid = key.equals(USERNAME) ? username(scalar.text()) : email(scalar.text());
                if (valid.isEmpty()) {
                    continue; // already reported as malformed
                }
                String first = firstUse.putIfAbsent(UserEntry.canonicalLogin(valid.get()), scalar.path());
                if (first != null) {
                    reader.problems().error(scalar, UsersMessages.loginAlreadyUsed(reader.show(scalar), first));
                }
            }
        }
    }
}
