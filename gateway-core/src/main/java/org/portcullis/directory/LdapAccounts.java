package org.portcullis.directory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.unboundid.ldap.sdk.BindResult;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPBindException;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.controls.PasswordExpiredControl;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ErrorType;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10RequestControl;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ResponseControl;
import org.portcullis.config.LdapConfig;
import org.portcullis.config.LdapGroupsConfig;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.identity.DirectoryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Portcullis asks the directory, all blocking (run on the directory's own threads): find a user entry by what
 * was typed or by username, check a password by a bind as that entry, and collect the entry's groups, nested ones
 * included.
 *
 * <p><b>Injection.</b> Every value that came from a user goes into a filter only through
 * {@link Filter#createEqualityFilter} (RFC 4515 escaping of {@code *}, {@code (}, {@code )}, {@code \} and NUL), never
 * by string concatenation. A search must find exactly one entry, and that entry's login attribute must hold the typed
 * login (case aside): a filter that somehow matched more, or another entry, signs nobody in.
 *
 * <p><b>Failures.</b> Anything that says the directory could not be asked (down, timed out, the service account
 * refused) is a {@link DirectoryUnavailableException}; the caller fails closed. A bind refused for the user's
 * credentials is one of {@link BindOutcome}'s refusals, never an exception.
 */
final class LdapAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(LdapAccounts.class);
    /** Active Directory's LDAP_MATCHING_RULE_IN_CHAIN: membership through any chain of nested groups. */
    static final String IN_CHAIN = "1.2.840.113556.1.4.1941";
    static final String USER_ACCOUNT_CONTROL = "userAccountControl";
    static final int ACCOUNT_DISABLE = 0x2;
    static final String PWD_ACCOUNT_LOCKED_TIME = "pwdAccountLockedTime";
    static final String MEMBER_OF = "memberOf";
    /** Nested groups are walked at most this deep and this many, so a loop or a huge tree cannot stall a sign-in. */
    static final int MAX_GROUP_DEPTH = 16;
    static final int MAX_GROUPS = 1000;
    /** AD's sub-codes in an invalidCredentials diagnostic ("... data 532, ..."), for the audit reason only. */
    private static final Pattern AD_DATA = Pattern.compile("data ([0-9a-fA-F]{3})");

    /** How a bind as the user ended. */
    enum BindOutcome { OK, WRONG_PASSWORD, PASSWORD_EXPIRED, DISABLED }

    private final LdapConnections connections;
    private final LdapConfig config;

    LdapAccounts(LdapConnections connections, LdapConfig config) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The entry whose login attribute is {@code login}, if exactly one is. */
    Optional<DirectoryEntry> byLogin(String login) {
        return findOne(config.loginAttribute(), login);
    }

    /** The entry whose username attribute is {@code username}, if exactly one is. */
    Optional<DirectoryEntry> byUsername(String username) {
        return findOne(config.usernameAttribute(), username);
    }

    private Optional<DirectoryEntry> findOne(String attribute, String value) {
        Filter filter = Filter.createEqualityFilter(attribute, value);
        if (config.userFilter() != null) {
            filter = Filter.createANDFilter(filter, parsed(config.userFilter()));
        }
        SearchRequest request = new SearchRequest(config.userBase(), SearchScope.SUB, DereferencePolicy.NEVER, 2,
                timeLimitSeconds(), false, filter, attributes());
        List<SearchResultEntry> entries;
        try {
            entries = connections.pool().search(request).getSearchEntries();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.warn("users.ldap: more than one entry has {} equal to the login; nobody is signed in with it",
                        attribute);
                return Optional.empty();
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                LOG.warn("users.ldap.user_base {} does not exist in the directory", config.userBase());
                return Optional.empty();
            }
            throw unavailable("user search", e);
        }
        if (entries.size() != 1) {
            if (entries.size() > 1) {
                LOG.warn("users.ldap: more than one entry has {} equal to the login; nobody is signed in with it",
                        attribute);
            }
            return Optional.empty();
        }
        SearchResultEntry entry = entries.get(0);
        // The server matched with its own rules; the value must really be there (case aside), or nobody signs in.
        String[] values = entry.getAttributeValues(attribute);
        if (values == null || Arrays.stream(values).noneMatch(v -> v.equalsIgnoreCase(value))) {
            return Optional.empty();
        }
        return toEntry(entry);
    }

    private Optional<DirectoryEntry> toEntry(SearchResultEntry entry) {
        String rawName = entry.getAttributeValue(config.usernameAttribute());
        if (rawName == null) {
            return Optional.empty();
        }
        String username = rawName.toLowerCase(Locale.ROOT);
        if (UsersFileLoader.usernameProblem(username).isPresent()) {
            LOG.warn("users.ldap: an entry's {} is not a Portcullis username (1 to 64 of a-z, 0-9, '.', '_', '-');"
                    + " it cannot sign in", config.usernameAttribute());
            return Optional.empty();
        }
        String shown = entry.getAttributeValue(config.displayNameAttribute());
        String displayName = shown != null && UsersFileLoader.displayNameProblem(shown).isEmpty() ? shown : username;
        Optional<String> email = Optional.ofNullable(entry.getAttributeValue(config.emailAttribute()))
                .map(e -> e.toLowerCase(Locale.ROOT)).filter(e -> UsersFileLoader.emailProblem(e).isEmpty());
        boolean disabled = false;
        String control = entry.getAttributeValue(USER_ACCOUNT_CONTROL);
        if (control != null) {
            try {
                disabled = (Long.parseLong(control.trim()) & ACCOUNT_DISABLE) != 0;
            } catch (NumberFormatException e) {
                disabled = true; // unreadable: fail closed
            }
        }
        disabled |= entry.hasAttribute(PWD_ACCOUNT_LOCKED_TIME);
        String[] memberOf = entry.getAttributeValues(MEMBER_OF);
        return Optional.of(new DirectoryEntry(entry.getDN(), username, displayName, email, disabled,
                memberOf == null ? List.of() : List.of(memberOf)));
    }

    /**
     * Binds as {@code entry} with {@code password} on a pooled connection, which is bound back to the service account
     * afterwards. {@code password} is not wiped here (the caller owns it); its UTF-8 copy is.
     */
    BindOutcome bind(DirectoryEntry entry, char[] password) {
        if (password.length == 0) {
            return BindOutcome.WRONG_PASSWORD; // never an unauthenticated bind (RFC 4513 5.1.2)
        }
        byte[] bytes = utf8(password);
        try {
            BindResult result = connections.pool().bindAndRevertAuthentication(new SimpleBindRequest(entry.dn(),
                    bytes, new DraftBeheraLDAPPasswordPolicy10RequestControl()));
            return afterSuccess(result);
        } catch (LDAPBindException e) {
            return refused(e.getBindResult(), e);
        } catch (LDAPException e) {
            return refused(e.toLDAPResult(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A bind that succeeded may still say the password has expired or must be changed first: then it is refused. */
    private static BindOutcome afterSuccess(BindResult result) {
        try {
            if (PasswordExpiredControl.get(result) != null) {
                return BindOutcome.PASSWORD_EXPIRED;
            }
            DraftBeheraLDAPPasswordPolicy10ResponseControl policy =
                    DraftBeheraLDAPPasswordPolicy10ResponseControl.get(result);
            if (policy != null && policy.getErrorType() != null) {
                return policy.getErrorType() == DraftBeheraLDAPPasswordPolicy10ErrorType.ACCOUNT_LOCKED
                        ? BindOutcome.DISABLED : BindOutcome.PASSWORD_EXPIRED;
            }
            return BindOutcome.OK;
        } catch (LDAPException e) {
            return BindOutcome.WRONG_PASSWORD; // an undecodable control: refuse rather than guess
        }
    }

    private BindOutcome refused(LDAPResult result, LDAPException e) {
        ResultCode code = result.getResultCode();
        if (!ResultCode.isConnectionUsable(code) || code == ResultCode.TIMEOUT || code == ResultCode.BUSY
                || code == ResultCode.UNAVAILABLE || code == ResultCode.CONNECT_ERROR) {
            throw unavailable("user bind", e);
        }
        String diagnostic = result.getDiagnosticMessage();
        if (code == ResultCode.INVALID_CREDENTIALS && diagnostic != null) {
            Matcher data = AD_DATA.matcher(diagnostic);
            if (data.find()) {
                switch (data.group(1).toLowerCase(Locale.ROOT)) {
                    case "532", "773" -> {
                        return BindOutcome.PASSWORD_EXPIRED;
                    }
                    case "533", "701", "775" -> {
                        return BindOutcome.DISABLED;
                    }
                    default -> {
                        return BindOutcome.WRONG_PASSWORD;
                    }
                }
            }
        }
        return BindOutcome.WRONG_PASSWORD;
    }

    /** The names of every group {@code entry} is in, directly or through nested groups, sorted. */
    List<String> groups(DirectoryEntry entry) {
        LdapGroupsConfig groups = config.groups();
        return switch (groups.lookup()) {
            case ACTIVE_DIRECTORY -> names(search(groups.base(), inChainFilter(entry.dn()), groups.nameAttribute()));
            case MEMBER_OF -> walkMemberOf(entry);
            case SEARCH -> walkSearch(entry);
        };
    }

    /** AD's in-chain filter; package-private so a test can show what is sent (no AD here). */
    static Filter inChainFilter(String userDn) {
        return Filter.createExtensibleMatchFilter("member", IN_CHAIN, false, userDn);
    }

    private List<String> walkMemberOf(DirectoryEntry entry) {
        LdapGroupsConfig groups = config.groups();
        Set<String> seen = new HashSet<>();
        Set<String> names = new TreeSet<>();
        Deque<Step> queue = new ArrayDeque<>();
        entry.memberOf().forEach(dn -> queue.add(new Step(dn, 1)));
        while (!queue.isEmpty() && seen.size() < MAX_GROUPS) {
            Step step = queue.poll();
            if (!seen.add(normalized(step.dn())) || !under(step.dn(), groups.base())) {
                continue;
            }
            SearchRequest request = new SearchRequest(step.dn(), SearchScope.BASE, DereferencePolicy.NEVER, 1,
                    timeLimitSeconds(), false, Filter.createPresenceFilter("objectClass"), groups.nameAttribute(),
                    MEMBER_OF);
            List<SearchResultEntry> found = run(request, "group read");
            for (SearchResultEntry group : found) {
                name(group).ifPresent(names::add);
                String[] parents = group.getAttributeValues(MEMBER_OF);
                if (parents != null && step.depth() < MAX_GROUP_DEPTH) {
                    for (String parent : parents) {
                        queue.add(new Step(parent, step.depth() + 1));
                    }
                }
            }
        }
        return List.copyOf(names);
    }

    private List<String> walkSearch(DirectoryEntry entry) {
        LdapGroupsConfig groups = config.groups();
        Set<String> seen = new HashSet<>();
        Set<String> names = new TreeSet<>();
        Deque<Step> queue = new ArrayDeque<>();
        queue.add(new Step(entry.dn(), 0));
        while (!queue.isEmpty() && seen.size() < MAX_GROUPS) {
            Step step = queue.poll();
            Filter filter = Filter.createEqualityFilter(groups.memberAttribute(), step.dn());
            for (SearchResultEntry group : search(groups.base(), filter, groups.nameAttribute())) {
                if (!seen.add(normalized(group.getDN()))) {
                    continue;
                }
                name(group).ifPresent(names::add);
                if (step.depth() + 1 < MAX_GROUP_DEPTH) {
                    queue.add(new Step(group.getDN(), step.depth() + 1));
                }
            }
        }
        return List.copyOf(names);
    }

    private record Step(String dn, int depth) {
    }

    private List<SearchResultEntry> search(String base, Filter filter, String nameAttribute) {
        return run(new SearchRequest(base, SearchScope.SUB, DereferencePolicy.NEVER, MAX_GROUPS, timeLimitSeconds(),
                false, filter, nameAttribute), "group search");
    }

    private List<SearchResultEntry> run(SearchRequest request, String what) {
        try {
            SearchResult result = connections.pool().search(request);
            return result.getSearchEntries();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return List.of();
            }
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED
                    && e instanceof com.unboundid.ldap.sdk.LDAPSearchException search) {
                return search.getSearchEntries();
            }
            throw unavailable(what, e);
        }
    }

    private List<String> names(List<SearchResultEntry> groups) {
        Set<String> names = new TreeSet<>();
        groups.forEach(group -> name(group).ifPresent(names::add));
        return new ArrayList<>(names);
    }

    /** A group's name in lower case, if it is a valid Portcullis group name. */
    private Optional<String> name(SearchResultEntry group) {
        String value = group.getAttributeValue(config.groups().nameAttribute());
        if (value == null) {
            return Optional.empty();
        }
        String name = value.toLowerCase(Locale.ROOT);
        if (UsersFileLoader.groupProblem(name).isPresent()) {
            LOG.debug("users.ldap: group {} has a name Portcullis policies cannot use; left out", group.getDN());
            return Optional.empty();
        }
        return Optional.of(name);
    }

    private static boolean under(String dn, String base) {
        try {
            return new DN(dn).isDescendantOf(new DN(base), true);
        } catch (LDAPException e) {
            return false;
        }
    }

    private static String normalized(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    private String[] attributes() {
        Set<String> wanted = new java.util.LinkedHashSet<>(List.of(config.loginAttribute(),
                config.usernameAttribute(), config.displayNameAttribute(), config.emailAttribute(),
                USER_ACCOUNT_CONTROL, PWD_ACCOUNT_LOCKED_TIME));
        if (config.groups().lookup() == LdapGroupsConfig.Lookup.MEMBER_OF) {
            wanted.add(MEMBER_OF);
        }
        return wanted.toArray(String[]::new);
    }

    private int timeLimitSeconds() {
        return (int) Math.max(1, config.responseTimeout().toSeconds());
    }

    private static Filter parsed(String filter) {
        try {
            return Filter.create(filter);
        } catch (LDAPException e) {
            throw new IllegalStateException("users.ldap.user_filter was checked at load", e);
        }
    }

    private static DirectoryUnavailableException unavailable(String what, LDAPException e) {
        return new DirectoryUnavailableException("directory " + what + " failed: " + e.getResultCode()
                + (e.getDiagnosticMessage() == null ? "" : " (" + e.getDiagnosticMessage() + ")"), e);
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
